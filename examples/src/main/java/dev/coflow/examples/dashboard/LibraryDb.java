package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The library's database: a real embedded H2 database, in memory, with books, members and
 * checkouts (due dates, returns), generated from a seed so that the same seed gives the same
 * library. Plain blocking JDBC; coflow runs it inside generator bodies and {@code mapAsync}
 * calls, which may block. Large reads are streamed from a cursor with {@link AsyncFlow#using}
 * ({@link #history()}, {@link #overdueLoans}), never loaded whole. Thread-safe: every operation
 * borrows its own pooled connection.
 */
public final class LibraryDb implements AutoCloseable {
    /** Loan period: a book is overdue when it is still out after this many days. */
    public static final int LOAN_DAYS = 14;
    /** How many books {@link Stats#overdueBooks()} lists. */
    public static final int OVERDUE_SHOWN = 10;
    /** Rows a cursor fetches from H2 at a time ({@link Statement#setFetchSize}). */
    public static final int FETCH_SIZE = 500;

    private static final String[][] CLASSICS = {
        {"Pride and Prejudice", "Jane Austen"}, {"Moby-Dick", "Herman Melville"},
        {"Middlemarch", "George Eliot"}, {"Jane Eyre", "Charlotte Bronte"},
        {"Wuthering Heights", "Emily Bronte"}, {"Great Expectations", "Charles Dickens"},
        {"Bleak House", "Charles Dickens"}, {"War and Peace", "Leo Tolstoy"},
        {"Anna Karenina", "Leo Tolstoy"}, {"Crime and Punishment", "Fyodor Dostoevsky"},
        {"The Brothers Karamazov", "Fyodor Dostoevsky"}, {"Madame Bovary", "Gustave Flaubert"},
        {"Les Miserables", "Victor Hugo"}, {"The Count of Monte Cristo", "Alexandre Dumas"},
        {"Don Quixote", "Miguel de Cervantes"}, {"Frankenstein", "Mary Shelley"},
        {"Dracula", "Bram Stoker"}, {"The Picture of Dorian Gray", "Oscar Wilde"},
        {"Heart of Darkness", "Joseph Conrad"}, {"The Scarlet Letter", "Nathaniel Hawthorne"},
        {"Little Women", "Louisa May Alcott"}, {"Emma", "Jane Austen"},
        {"Persuasion", "Jane Austen"}, {"The Odyssey", "Homer"},
        {"The Iliad", "Homer"}, {"Ulysses", "James Joyce"},
        {"Dubliners", "James Joyce"}, {"The Age of Innocence", "Edith Wharton"},
        {"The Time Machine", "H. G. Wells"}, {"The War of the Worlds", "H. G. Wells"},
        {"Treasure Island", "Robert Louis Stevenson"}, {"Kidnapped", "Robert Louis Stevenson"},
        {"Walden", "Henry David Thoreau"}, {"The Jungle Book", "Rudyard Kipling"},
        {"Around the World in Eighty Days", "Jules Verne"},
    };
    private static final String[] ADJECTIVES = {
        "Silent",
        "Hidden",
        "Last",
        "Golden",
        "Broken",
        "Northern",
        "Quiet",
        "Burning",
        "Lost",
        "Distant",
        "Winter",
        "Secret",
        "Crimson",
        "Endless",
        "Little",
        "Wandering",
        "Glass",
        "Iron",
        "Paper",
        "Midnight"
    };
    private static final String[] NOUNS = {
        "River", "Garden", "Harbour", "Orchard", "Library", "Lighthouse", "Kingdom", "Letter", "Mountain", "Forest",
        "Island", "Voyage", "Station", "Archive", "Bridge", "Meadow", "Compass", "Window", "Clock", "Lantern"
    };
    private static final String[] FIRST = {
        "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Karl", "Lena", "Mallory",
        "Nina", "Oscar", "Peggy", "Quinn", "Rupert", "Sybil", "Trent", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoe"
    };
    private static final String[] LAST = {
        "Archer", "Baker", "Clark", "Dunn", "Ellis", "Fisher", "Gray", "Hughes", "Irving", "Jones", "Khan", "Lopez",
        "Moore", "Novak", "Owens", "Price", "Reed", "Shaw", "Turner", "Vance", "Walsh", "Young"
    };

    /**
     * The size of a generated library.
     *
     * @param books books in the catalogue, {@code >= 1}
     * @param members members, {@code >= 1}
     * @param checkouts past checkouts (most returned, some overdue), {@code >= 0}
     */
    public record Size(int books, int members, int checkouts) {
        /** Checks the arguments. */
        public Size {
            if (books < 1 || members < 1 || checkouts < 0) {
                throw new IllegalArgumentException("Size: books and members must be >= 1 and checkouts >= 0, was "
                        + books + ", " + members + ", " + checkouts + "; e.g. new Size(20_000, 2_000, 50_000)");
            }
        }
    }

    /**
     * A row of the checkouts table, as streamed by {@link #history()}.
     *
     * @param id the loan's id
     * @param bookId the book
     * @param memberId the member
     * @param checkedOut the day it was borrowed
     * @param due the due day
     * @param returned the day it came back, or {@code null} if still out
     */
    public record Loan(int id, int bookId, int memberId, LocalDate checkedOut, LocalDate due, LocalDate returned) {}

    private final JdbcConnectionPool pool;
    private final Connection keepAlive;
    private final Size size;
    private final LocalDate today;

    private LibraryDb(JdbcConnectionPool pool, Connection keepAlive, Size size, LocalDate today) {
        this.pool = pool;
        this.keepAlive = keepAlive;
        this.size = size;
        this.today = today;
    }

    /**
     * Creates a fresh in-memory database with a generated library as of {@code today}: the first
     * books are 35 classics, the rest generated titles; checkouts spread over the past year, most
     * returned, a few percent never returned (overdue), about half of the last four weeks' still out.
     *
     * @param today the simulated day the library opens on
     * @param size how many books, members and past checkouts
     * @param seed the random seed (the same seed gives the same library)
     * @return the open database
     * @throws SQLException if H2 fails
     */
    public static LibraryDb create(LocalDate today, Size size, long seed) throws SQLException {
        String url = "jdbc:h2:mem:library-" + UUID.randomUUID();
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(32); // simulation, enrichment, catalogue server, cursors: all at once
        LibraryDb db = new LibraryDb(pool, pool.getConnection(), size, today); // the database lives while this is open
        try {
            db.seed(seed);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private void seed(long seed) throws SQLException {
        Random random = new Random(seed);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("create table books(id int primary key, title varchar(200) not null,"
                    + " author varchar(100) not null)");
            s.execute("create table members(id int primary key, name varchar(100) not null)");
            s.execute("create table checkouts(id int auto_increment primary key, book_id int not null,"
                    + " member_id int not null, checked_out date not null, due date not null, returned date)");
            s.execute("create table catalog_copy(id int primary key, title varchar(200) not null)");
            s.execute("create table sessions(id int auto_increment primary key, member_id int not null,"
                    + " started timestamp not null, ended timestamp)");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("insert into books values (?, ?, ?)")) {
                for (int id = 1; id <= size.books(); id++) {
                    String[] book = book(id);
                    p.setInt(1, id);
                    p.setString(2, book[0]);
                    p.setString(3, book[1]);
                    p.addBatch();
                    if (id % 5_000 == 0) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("insert into members values (?, ?)")) {
                for (int id = 1; id <= size.members(); id++) {
                    p.setInt(1, id);
                    p.setString(2, memberName(id));
                    p.addBatch();
                    if (id % 5_000 == 0) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "insert into checkouts(book_id, member_id, checked_out, due, returned) values (?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= size.checkouts(); i++) {
                    LocalDate out = today.minusDays(1 + random.nextInt(365));
                    long age = ChronoUnit.DAYS.between(out, today);
                    double returnedShare = age > 4 * 7 ? 0.97 : age > LOAN_DAYS ? 0.6 : 0.5;
                    LocalDate back = null;
                    if (random.nextDouble() < returnedShare) {
                        back = out.plusDays(1 + random.nextInt(LOAN_DAYS + 6)); // some come back late
                        if (!back.isBefore(today)) {
                            back = today.minusDays(1);
                        }
                    }
                    p.setInt(1, 1 + random.nextInt(size.books()));
                    p.setInt(2, pickMember(random));
                    p.setDate(3, Date.valueOf(out));
                    p.setDate(4, Date.valueOf(out.plusDays(LOAN_DAYS)));
                    p.setDate(5, back == null ? null : Date.valueOf(back));
                    p.addBatch();
                    if (i % 5_000 == 0) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            s.execute("create index checkouts_open on checkouts(returned, due)");
            s.execute("create index checkouts_book on checkouts(book_id, returned)");
        }
    }

    /** Title and author of book {@code id}: classics first, then generated ones. */
    private static String[] book(int id) {
        if (id <= CLASSICS.length) {
            return CLASSICS[id - 1];
        }
        int n = id - CLASSICS.length - 1;
        int combos = ADJECTIVES.length * NOUNS.length;
        String title = "The " + ADJECTIVES[n % ADJECTIVES.length] + " " + NOUNS[(n / ADJECTIVES.length) % NOUNS.length];
        if (n >= combos) {
            title += ", vol. " + (n / combos + 1);
        }
        return new String[] {title, FIRST[n % FIRST.length] + " " + LAST[(n / 7) % LAST.length]};
    }

    /** The name of member {@code id}: unique, deterministic. */
    static String memberName(int id) {
        int n = id - 1;
        int combos = FIRST.length * LAST.length;
        String name = FIRST[n % FIRST.length] + " " + LAST[(n * 7 + n / FIRST.length) % LAST.length];
        return n >= combos ? name + " " + (n / combos + 1) : name;
    }

    /** A member, skewed: low ids borrow (and sign in) much more than high ones, as in real libraries. */
    int pickMember(Random random) {
        return Math.min(size.members(), 1 + (int) Math.abs(random.nextGaussian() * Math.max(1, size.members() / 8.0)));
    }

    /** The library's size. */
    public Size size() {
        return size;
    }

    /** The day the simulation runs on. */
    public LocalDate today() {
        return today;
    }

    /**
     * Checks out the first book at or after {@code bookId} (wrapping around) that is not on loan.
     *
     * @param memberId the member
     * @param bookId where to start looking, {@code 1..books}
     * @param day the day of the loan
     * @return {@code {memberId, bookId}} of the new loan, or {@code null} if every book is out
     * @throws SQLException if H2 fails
     */
    public int[] checkout(int memberId, int bookId, LocalDate day) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement open =
                        c.prepareStatement("select count(*) from checkouts where book_id = ? and returned is null")) {
            for (int tries = 0; tries < size.books(); tries++) {
                int id = 1 + Math.floorMod(bookId - 1 + tries, size.books());
                open.setInt(1, id);
                try (ResultSet rs = open.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        continue;
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "insert into checkouts(book_id, member_id, checked_out, due) values (?, ?, ?, ?)")) {
                    p.setInt(1, id);
                    p.setInt(2, memberId);
                    p.setDate(3, Date.valueOf(day));
                    p.setDate(4, Date.valueOf(day.plusDays(LOAN_DAYS)));
                    p.executeUpdate();
                }
                return new int[] {memberId, id};
            }
            return null;
        }
    }

    /**
     * Returns the first open loan at or after loan id {@code loanId} (wrapping around).
     *
     * @param loanId where to start looking
     * @param day the day it comes back
     * @return the loan as it was (with its due date), or {@code null} if no book is out
     * @throws SQLException if H2 fails
     */
    public Loan giveBack(int loanId, LocalDate day) throws SQLException {
        try (Connection c = pool.getConnection()) {
            Loan loan = firstOpen(c, "id >= ?", loanId);
            if (loan == null) {
                loan = firstOpen(c, "id < ?", loanId);
            }
            if (loan == null) {
                return null;
            }
            try (PreparedStatement p = c.prepareStatement("update checkouts set returned = ? where id = ?")) {
                p.setDate(1, Date.valueOf(day));
                p.setInt(2, loan.id());
                p.executeUpdate();
            }
            return loan;
        }
    }

    private static Loan firstOpen(Connection c, String where, int loanId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select id, book_id, member_id, checked_out, due from checkouts"
                + " where " + where + " and returned is null order by id limit 1")) {
            p.setInt(1, loanId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next()
                        ? new Loan(
                                rs.getInt(1),
                                rs.getInt(2),
                                rs.getInt(3),
                                rs.getDate(4).toLocalDate(),
                                rs.getDate(5).toLocalDate(),
                                null)
                        : null;
            }
        }
    }

    /**
     * A member signs in to the library's website.
     *
     * @param memberId the member
     * @param at when
     * @throws SQLException if H2 fails
     */
    public void login(int memberId, LocalDateTime at) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("insert into sessions(member_id, started) values (?, ?)")) {
            p.setInt(1, memberId);
            p.setTimestamp(2, Timestamp.valueOf(at));
            p.executeUpdate();
        }
    }

    /**
     * A member's open sessions end.
     *
     * @param memberId the member
     * @param at when
     * @throws SQLException if H2 fails
     */
    public void logout(int memberId, LocalDateTime at) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p =
                        c.prepareStatement("update sessions set ended = ? where member_id = ? and ended is null")) {
            p.setTimestamp(1, Timestamp.valueOf(at));
            p.setInt(2, memberId);
            p.executeUpdate();
        }
    }

    /**
     * Sessions not yet ended: the article's "active sessions".
     *
     * @return the count
     * @throws SQLException if H2 fails
     */
    public int activeSessions() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return count(c, "select count(*) from sessions where ended is null", null);
        }
    }

    /**
     * The highest loan id so far.
     *
     * @return the id, 0 if there are no loans
     * @throws SQLException if H2 fails
     */
    public int maxLoanId() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return count(c, "select coalesce(max(id), 0) from checkouts", null);
        }
    }

    /**
     * A book's title and a member's name, by id: the enrichment lookup.
     *
     * @param memberId the member
     * @param bookId the book, or 0 for none
     * @return {@code {memberName, title}} ({@code "-"} for no book)
     * @throws SQLException if H2 fails
     */
    public String[] names(int memberId, int bookId) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement m = c.prepareStatement("select name from members where id = ?");
                PreparedStatement b = c.prepareStatement("select title from books where id = ?")) {
            m.setInt(1, memberId);
            String member;
            try (ResultSet rs = m.executeQuery()) {
                member = rs.next() ? rs.getString(1) : "member #" + memberId;
            }
            if (bookId == 0) {
                return new String[] {member, "-"};
            }
            b.setInt(1, bookId);
            try (ResultSet rs = b.executeQuery()) {
                return new String[] {member, rs.next() ? rs.getString(1) : "book #" + bookId};
            }
        }
    }

    /**
     * Reads the statistics: the database's counts and most overdue books, plus {@code activity}'s
     * counters from the followed log.
     *
     * @param activity the event counters to include
     * @return the snapshot
     * @throws SQLException if H2 fails
     */
    public Stats snapshot(Activity activity) throws SQLException {
        try (Connection c = pool.getConnection()) {
            int total = count(c, "select count(*) from books", null);
            int out = count(c, "select count(*) from checkouts where returned is null", null);
            int overdue = count(c, "select count(*) from checkouts where returned is null and due < ?", activity.day());
            List<Borrower> top = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select m.name, x.n from (select member_id, count(*) n"
                            + " from checkouts group by member_id order by n desc, member_id limit 3) x"
                            + " join members m on m.id = x.member_id order by x.n desc, m.id")) {
                while (rs.next()) {
                    top.add(new Borrower(rs.getString(1), rs.getInt(2)));
                }
            }
            List<OverdueBook> late = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select b.title, m.name, x.due from (select book_id,"
                    + " member_id, due, id from checkouts where returned is null and due < ? order by due, id limit "
                    + OVERDUE_SHOWN + ") x join books b on b.id = x.book_id join members m on m.id = x.member_id"
                    + " order by x.due, x.id")) {
                p.setDate(1, Date.valueOf(activity.day()));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        late.add(new OverdueBook(rs.getString(1), rs.getString(2), (int)
                                ChronoUnit.DAYS.between(rs.getDate(3).toLocalDate(), activity.day())));
                    }
                }
            }
            return new Stats(
                    activity.day().toString(),
                    total,
                    out,
                    overdue,
                    top,
                    activity.events(),
                    activity.eventsPerSecond(),
                    activity.last(),
                    activity.checkoutsPerMinute(),
                    late);
        }
    }

    /**
     * The past checkouts (those before {@link #today()}, not the simulation's), streamed from a
     * JDBC cursor ({@value #FETCH_SIZE} rows per fetch, H2's lazy query execution): connection,
     * statement and result set are opened per collection with {@link AsyncFlow#using} and closed
     * however it ends, and only the rows in flight are in memory.
     *
     * @return a cold flow of the checkouts table's history
     */
    public AsyncFlow<Loan> history() {
        return AsyncFlow.using(
                pool::getConnection,
                c -> AsyncFlow.using(
                        () -> {
                            Statement s = c.createStatement();
                            s.execute("set lazy_query_execution true"); // stream from the table, don't materialize
                            s.setFetchSize(FETCH_SIZE);
                            return s;
                        },
                        s -> AsyncFlow.using(
                                () -> s.executeQuery(
                                        "select id, book_id, member_id, checked_out, due, returned from checkouts"
                                                + " where checked_out < date '" + today + "'"),
                                rs -> AsyncFlow.generate(out -> {
                                    while (rs.next()) {
                                        Date back = rs.getDate(6);
                                        out.emit(new Loan(
                                                rs.getInt(1),
                                                rs.getInt(2),
                                                rs.getInt(3),
                                                rs.getDate(4).toLocalDate(),
                                                rs.getDate(5).toLocalDate(),
                                                back == null ? null : back.toLocalDate()));
                                    }
                                }))));
    }

    /**
     * The loans still out after their due date as of {@code day}, most overdue first, streamed
     * from a cursor as {@code {title, member, days overdue}}.
     *
     * @param day the day to measure against
     * @return a cold flow
     */
    public AsyncFlow<OverdueBook> overdueLoans(LocalDate day) {
        return AsyncFlow.using(
                pool::getConnection,
                c -> AsyncFlow.using(
                        () -> {
                            PreparedStatement p = c.prepareStatement("select b.title, m.name, c.due from checkouts c"
                                    + " join books b on b.id = c.book_id join members m on m.id = c.member_id"
                                    + " where c.returned is null and c.due < ? order by c.due, c.id");
                            p.setFetchSize(FETCH_SIZE);
                            p.setDate(1, Date.valueOf(day));
                            return p;
                        },
                        p -> AsyncFlow.using(
                                p::executeQuery,
                                rs -> AsyncFlow.generate(out -> {
                                    while (rs.next()) {
                                        out.emit(new OverdueBook(
                                                rs.getString(1), rs.getString(2), (int) ChronoUnit.DAYS.between(
                                                        rs.getDate(3).toLocalDate(), day)));
                                    }
                                }))));
    }

    /**
     * The books after id {@code afterId}, ordered by id: one page of the catalogue API (keyset
     * pagination, so a page costs the same wherever it is).
     *
     * @param afterId the last id of the previous page, 0 for the first
     * @param limit books per page
     * @return the page's books, empty after the last one
     * @throws SQLException if H2 fails
     */
    public List<Book> booksAfter(int afterId, int limit) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p =
                        c.prepareStatement("select id, title, author from books where id > ? order by id limit ?")) {
            p.setInt(1, afterId);
            p.setInt(2, limit);
            List<Book> books = new ArrayList<>(limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    books.add(new Book(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
            return books;
        }
    }

    /**
     * Stores a page of books crawled from the catalogue API (the crawl's consumer work).
     *
     * @param books the page
     * @throws SQLException if H2 fails
     */
    public void storeCopy(List<Book> books) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("merge into catalog_copy key(id) values (?, ?)")) {
            for (Book b : books) {
                p.setInt(1, b.id());
                p.setString(2, b.title());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * Empties the crawled copy and returns how many rows it had.
     *
     * @return the rows deleted
     * @throws SQLException if H2 fails
     */
    public int clearCopy() throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            return s.executeUpdate("delete from catalog_copy");
        }
    }

    /**
     * The day's circulation counts, for the summary: checkouts and returns on {@code day}.
     *
     * @param day the day
     * @param returns {@code true} for returns, {@code false} for checkouts
     * @return the count
     * @throws SQLException if H2 fails
     */
    public int countOn(LocalDate day, boolean returns) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return count(
                    c, "select count(*) from checkouts where " + (returns ? "returned" : "checked_out") + " = ?", day);
        }
    }

    /**
     * Rows in the checkouts table.
     *
     * @return the count
     * @throws SQLException if H2 fails
     */
    public int loanCount() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return count(c, "select count(*) from checkouts", null);
        }
    }

    /** Closes every connection; the in-memory database disappears. */
    @Override
    public void close() throws SQLException {
        try (keepAlive;
                Statement s = keepAlive.createStatement()) {
            s.execute("shutdown");
        } finally {
            pool.dispose();
        }
    }

    private static int count(Connection c, String sql, LocalDate day) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (day != null) {
                p.setDate(1, Date.valueOf(day));
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
