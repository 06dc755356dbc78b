package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The library's day, simulated by three independent sources, the article's three: checkouts,
 * returns and website sessions. Each is a generator that waits {@code interval} between events
 * ({@code Suspend.delay}), writes the event to the database with JDBC right inside its body and
 * emits the ids; each has its own seeded random numbers, so each tells the same story on every
 * run whatever the interleaving. Event {@code i} of every source happens at simulated time
 * 09:00 plus about {@code i} half-minutes (checkouts in waves around that).
 */
final class Simulator {
    /** Simulated seconds between two events of one source. */
    static final int SIM_SECONDS_PER_EVENT = 30;

    /**
     * What a source emits: ids only; {@code mapAsync} enrichment turns them into a
     * {@link LibraryEvent} with names.
     */
    record RawEvent(
            LibraryEvent.Kind kind,
            LocalDateTime at,
            int memberId,
            int bookId,
            java.time.LocalDate due,
            java.time.LocalDate returned) {}

    private final LibraryDb db;
    private final Duration interval;
    private final long seed;
    private final long events;

    /**
     * @param events how many events each source emits ({@code Long.MAX_VALUE}: until cancelled)
     */
    Simulator(LibraryDb db, Duration interval, long seed, long events) {
        this.db = db;
        this.interval = interval;
        this.seed = seed;
        this.events = events;
    }

    private LocalDateTime at(long i, Random random) {
        return db.today().atTime(9, 0).plusSeconds(i * SIM_SECONDS_PER_EVENT + random.nextInt(SIM_SECONDS_PER_EVENT));
    }

    /**
     * Checkouts come in waves (a class visits, lunch time): event {@code i} at
     * {@code 30 i - 300 sin(2 pi i / 80)} seconds after 09:00, so the gap between two checkouts
     * swings between about 6 and 54 simulated seconds while the average stays at 30.
     */
    private LocalDateTime waveAt(long i, Random random) {
        double seconds = i * SIM_SECONDS_PER_EVENT - 300 * Math.sin(2 * Math.PI * i / 80.0);
        return db.today().atTime(9, 0).plusSeconds(Math.round(seconds) + random.nextInt(5));
    }

    /** Members borrow books: a random book, or the next one on the shelf if it is out. */
    AsyncFlow<RawEvent> checkouts() {
        return AsyncFlow.generate(out -> {
            Random random = new Random(seed * 31 + 1);
            for (long i = 0; i < events; i++) {
                Suspend.delay(interval);
                LocalDateTime at = waveAt(i, random);
                int member = db.pickMember(random);
                int[] loan = db.checkout(member, 1 + random.nextInt(db.size().books()), at.toLocalDate());
                if (loan != null) { // null only when every book is out
                    out.emit(new RawEvent(
                            LibraryEvent.Kind.CHECKOUT,
                            at,
                            loan[0],
                            loan[1],
                            at.toLocalDate().plusDays(LibraryDb.LOAN_DAYS),
                            null));
                }
            }
        });
    }

    /** Books come back: a random open loan, often an overdue one. */
    AsyncFlow<RawEvent> returns() {
        return AsyncFlow.generate(out -> {
            Random random = new Random(seed * 31 + 2);
            int maxLoan = Math.max(1, db.maxLoanId());
            for (long i = 0; i < events; i++) {
                Suspend.delay(interval);
                LocalDateTime at = at(i, random);
                LibraryDb.Loan loan = db.giveBack(1 + random.nextInt(maxLoan), at.toLocalDate());
                if (loan != null) { // null only when no book is out
                    out.emit(new RawEvent(
                            LibraryEvent.Kind.RETURN,
                            at,
                            loan.memberId(),
                            loan.bookId(),
                            loan.due(),
                            at.toLocalDate()));
                }
            }
        });
    }

    /** Members sign in to the website and out again: the active sessions. */
    AsyncFlow<RawEvent> sessions() {
        return AsyncFlow.generate(out -> {
            Random random = new Random(seed * 31 + 3);
            List<Integer> active = new ArrayList<>();
            for (long i = 0; i < events; i++) {
                Suspend.delay(interval);
                LocalDateTime at = at(i, random);
                int member = db.pickMember(random);
                if ((active.isEmpty() || random.nextInt(100) < 55) && !active.contains(member)) {
                    active.add(member);
                    db.login(member, at);
                    out.emit(new RawEvent(LibraryEvent.Kind.LOGIN, at, member, 0, null, null));
                } else { // someone signs out (there is someone: member is in, or the list is not empty)
                    int leaving = active.remove(random.nextInt(active.size()));
                    db.logout(leaving, at);
                    out.emit(new RawEvent(LibraryEvent.Kind.LOGOUT, at, leaving, 0, null, null));
                }
            }
        });
    }

    /**
     * The three sources collected concurrently ({@code merge}), each event enriched with the
     * member's name and the book's title by a JDBC lookup, four at a time, in order
     * ({@code mapAsync}).
     *
     * @return the day's events, as they happen
     */
    AsyncFlow<LibraryEvent> events() {
        return AsyncFlow.merge(checkouts(), returns(), sessions()).mapAsync(4, raw -> {
            String[] names = db.names(raw.memberId(), raw.bookId());
            return new LibraryEvent(raw.kind(), raw.at(), names[0], names[1], raw.due(), raw.returned());
        });
    }
}
