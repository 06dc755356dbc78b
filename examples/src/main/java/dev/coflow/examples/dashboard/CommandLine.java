package dev.coflow.examples.dashboard;

import java.time.Duration;
import java.util.List;

/** The dashboard's command line: {@code --help}, {@code --serve} and the size and timing options. */
final class CommandLine {
    static final String USAGE = String.join(
            "\n",
            "usage: LibraryDashboard [options]",
            "  runs the library dashboard on loopback (well under a minute), prints a summary and exits",
            "",
            "  --books N        books in the catalogue             (default 20000)",
            "  --members N      library members                    (default 2000)",
            "  --checkouts N    past checkouts in the database     (default 50000)",
            "  --scale F        multiply books, members, checkouts by F (e.g. --scale 50: 1 million books)",
            "  --events N       events per simulated source        (default 800; three sources)",
            "  --interval MS    wait between two events of a source (default 10)",
            "  --latency MS     catalogue API latency per request  (default 5)",
            "  --fail-first N   the API answers 503 to the first N requests of each page (default 0)",
            "  --fail-rate PCT  and to PCT% of the other requests, chosen from the seed (default 5)",
            "  --page-size N    books per catalogue page           (default 200)",
            "  --prefetch N     catalogue pages fetched ahead      (default 2)",
            "  --seed N         random seed: the same seed tells the same story (default 2025)",
            "  --serve          keep simulating and serving until Ctrl-C",
            "  --help           print this help and exit",
            "");

    /** A bad command line: the message says which option and what it takes. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * What the command line asks for.
     *
     * @param options the dashboard's settings
     * @param serve whether to run until Ctrl-C
     * @param help whether to print the usage and exit
     */
    record Parsed(LibraryDashboard.Options options, boolean serve, boolean help) {}

    private CommandLine() {}

    static Parsed parse(List<String> args) throws UsageException {
        LibraryDashboard.Options d = LibraryDashboard.Options.defaults();
        int books = d.size().books();
        int members = d.size().members();
        int checkouts = d.size().checkouts();
        double scale = 1;
        long events = d.events();
        long interval = d.eventInterval().toMillis();
        long latency = d.latency().toMillis();
        int failFirst = d.failFirst();
        int failRate = d.failPercent();
        int pageSize = d.pageSize();
        int prefetch = d.prefetch();
        long seed = d.seed();
        boolean serve = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--help", "-h" -> {
                    return new Parsed(d, false, true);
                }
                case "--serve" -> serve = true;
                case "--books" -> books = (int) number(args, ++i, option, 1, 100_000_000);
                case "--members" -> members = (int) number(args, ++i, option, 1, 10_000_000);
                case "--checkouts" -> checkouts = (int) number(args, ++i, option, 0, 500_000_000);
                case "--scale" -> scale = decimal(args, ++i, option);
                case "--events" -> events = number(args, ++i, option, 1, 10_000_000);
                case "--interval" -> interval = number(args, ++i, option, 1, 60_000);
                case "--latency" -> latency = number(args, ++i, option, 0, 60_000);
                case "--fail-first" -> failFirst = (int) number(args, ++i, option, 0, 20);
                case "--fail-rate" -> failRate = (int) number(args, ++i, option, 0, 50);
                case "--page-size" -> pageSize = (int) number(args, ++i, option, 1, 1_000);
                case "--prefetch" -> prefetch = (int) number(args, ++i, option, 0, 64);
                case "--seed" -> seed = number(args, ++i, option, Long.MIN_VALUE, Long.MAX_VALUE);
                default -> throw new UsageException("unknown option '" + option + "'; see --help");
            }
        }
        LibraryDb.Size size = new LibraryDb.Size(
                (int) Math.max(1, Math.round(books * scale)), (int) Math.max(1, Math.round(members * scale)), (int)
                        Math.round(checkouts * scale));
        return new Parsed(
                new LibraryDashboard.Options(
                        Duration.ofMillis(interval),
                        seed,
                        size,
                        serve ? Long.MAX_VALUE : events,
                        Duration.ofMillis(latency),
                        failFirst,
                        failRate,
                        pageSize,
                        prefetch),
                serve,
                false);
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException("option " + option + " needs a value, e.g. " + option + " 100");
        }
        return args.get(i);
    }

    private static long number(List<String> args, int i, String option, long min, long max) throws UsageException {
        String v = value(args, i, option);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " takes a whole number, was '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("option " + option + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    private static double decimal(List<String> args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        double f;
        try {
            f = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " takes a number such as 0.1 or 50, was '" + v + "'");
        }
        if (!(f > 0 && f <= 5_000)) {
            throw new UsageException("option " + option + " must be > 0 and <= 5000, was " + v);
        }
        return f;
    }
}
