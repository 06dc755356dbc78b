package dev.coflow.examples.dashboard;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The library's database: a real embedded H2 database, in memory, with books, members and
 * checkouts. Plain blocking JDBC; coflow runs it inside generator bodies and {@code mapAsync}
 * calls, which may block. Thread-safe: every operation borrows its own pooled connection.
 */
public final class LibraryDb implements AutoCloseable {
    /** Loan period: a book is overdue when it is still out after this many days. */
    public static final int LOAN_DAYS = 14;

    private static final String[][] BOOKS = {
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
    private static final String[] MEMBERS = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank"};

    private final JdbcConnectionPool pool;
    private final Connection keepAlive;

    private LibraryDb(JdbcConnectionPool pool, Connection keepAlive) {
        this.pool = pool;
        this.keepAlive = keepAlive;
    }

    /**
     * Creates a fresh in-memory database, seeded with {@value #SEEDED_BOOKS} books, six members and
     * a few loans as of {@code today}, two of them already overdue.
     *
     * @param today the simulated day the library opens on
     * @return the open database
     * @throws SQLException if H2 fails
     */
    public static LibraryDb createSeeded(LocalDate today) throws SQLException {
        String url = "jdbc:h2:mem:library-" + UUID.randomUUID();
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        LibraryDb db = new LibraryDb(pool, pool.getConnection()); // the database lives while this is open
        db.seed(today);
        return db;
    }

    /** Number of books {@link #createSeeded} puts in the catalogue. */
    public static final int SEEDED_BOOKS = 35;

    private void seed(LocalDate today) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "create table books(id int primary key, title varchar(200) not null, author varchar(100) not null)");
            s.execute("create table members(id int primary key, name varchar(100) not null)");
            s.execute(
                    "create table checkouts(id int auto_increment primary key, book_id int not null references books(id),"
                            + " member_id int not null references members(id), checked_out date not null, due date not null,"
                            + " returned date)");
            try (PreparedStatement p = c.prepareStatement("insert into books values (?, ?, ?)")) {
                for (int i = 0; i < BOOKS.length; i++) {
                    p.setInt(1, i + 1);
                    p.setString(2, BOOKS[i][0]);
                    p.setString(3, BOOKS[i][1]);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("insert into members values (?, ?)")) {
                for (int i = 0; i < MEMBERS.length; i++) {
                    p.setInt(1, i + 1);
                    p.setString(2, MEMBERS[i]);
                    p.addBatch();
                }
                p.executeBatch();
            }
            // Loans already running when the dashboard starts: books 1-6, the first two overdue.
            int[] daysAgo = {20, 16, 10, 6, 3, 1};
            for (int i = 0; i < daysAgo.length; i++) {
                insertCheckout(c, i + 1, i % MEMBERS.length + 1, today.minusDays(daysAgo[i]));
            }
        }
    }

    /**
     * Checks out a random available book for a member.
     *
     * @param memberId the member (1-based)
     * @param pick chooses among the available books: index = pick mod count
     * @param day the simulated day
     * @return the title, or {@code null} if every book is out
     * @throws SQLException if H2 fails
     */
    public String checkout(int memberId, int pick, LocalDate day) throws SQLException {
        try (Connection c = pool.getConnection()) {
            List<Integer> available = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select id from books where id not in"
                            + " (select book_id from checkouts where returned is null) order by id")) {
                while (rs.next()) {
                    available.add(rs.getInt(1));
                }
            }
            if (available.isEmpty()) {
                return null;
            }
            int bookId = available.get(Math.floorMod(pick, available.size()));
            insertCheckout(c, bookId, memberId, day);
            return title(c, bookId);
        }
    }

    /**
     * Returns one of the books currently out (the oldest loan among {@code pick}-chosen ones).
     *
     * @param pick chooses among the open loans: index = pick mod count
     * @param day the simulated day
     * @return {@code {member, title}}, or {@code null} if no book is out
     * @throws SQLException if H2 fails
     */
    public String[] giveBack(int pick, LocalDate day) throws SQLException {
        try (Connection c = pool.getConnection()) {
            List<String[]> open = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select c.id, m.name, b.title from checkouts c"
                            + " join members m on m.id = c.member_id join books b on b.id = c.book_id"
                            + " where c.returned is null order by c.id")) {
                while (rs.next()) {
                    open.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            if (open.isEmpty()) {
                return null;
            }
            String[] loan = open.get(Math.floorMod(pick, open.size()));
            try (PreparedStatement p = c.prepareStatement("update checkouts set returned = ? where id = ?")) {
                p.setDate(1, Date.valueOf(day));
                p.setInt(2, Integer.parseInt(loan[0]));
                p.executeUpdate();
            }
            return new String[] {loan[1], loan[2]};
        }
    }

    /**
     * Reads the statistics as of {@code activity}'s day.
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
                    ResultSet rs = s.executeQuery("select m.name, count(*) n from checkouts c join members m"
                            + " on m.id = c.member_id group by m.name order by n desc, m.name limit 3")) {
                while (rs.next()) {
                    top.add(new Borrower(rs.getString(1), rs.getInt(2)));
                }
            }
            return new Stats(
                    activity.day().toString(),
                    total,
                    out,
                    overdue,
                    List.copyOf(top),
                    activity.events(),
                    activity.eventsPerSecond(),
                    activity.last());
        }
    }

    /**
     * One page of the catalogue, ordered by id.
     *
     * @param page the page number, from 0
     * @param size books per page
     * @return the page's books, empty after the last one
     * @throws SQLException if H2 fails
     */
    public List<Book> catalogPage(int page, int size) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p =
                        c.prepareStatement("select id, title, author from books order by id limit ? offset ?")) {
            p.setInt(1, size);
            p.setInt(2, page * size);
            List<Book> books = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    books.add(new Book(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
            return books;
        }
    }

    /**
     * The titles of the overdue books as of {@code today}, with who has them.
     *
     * @param today the simulated day
     * @return lines such as {@code "Moby-Dick (Bob, due 2025-03-01)"}
     * @throws SQLException if H2 fails
     */
    public List<String> overdueBooks(LocalDate today) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("select b.title, m.name, c.due from checkouts c"
                        + " join books b on b.id = c.book_id join members m on m.id = c.member_id"
                        + " where c.returned is null and c.due < ? order by c.due, b.title")) {
            p.setDate(1, Date.valueOf(today));
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1) + " (" + rs.getString(2) + ", due "
                            + rs.getDate(3).toLocalDate() + ")");
                }
            }
            return lines;
        }
    }

    /** Number of members. */
    public int memberCount() {
        return MEMBERS.length;
    }

    /** Member name by 1-based id. */
    public String memberName(int memberId) {
        return MEMBERS[memberId - 1];
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

    private static void insertCheckout(Connection c, int bookId, int memberId, LocalDate day) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("insert into checkouts(book_id, member_id, checked_out, due) values (?, ?, ?, ?)")) {
            p.setInt(1, bookId);
            p.setInt(2, memberId);
            p.setDate(3, Date.valueOf(day));
            p.setDate(4, Date.valueOf(day.plusDays(LOAN_DAYS)));
            p.executeUpdate();
        }
    }

    private static String title(Connection c, int bookId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select title from books where id = ?")) {
            p.setInt(1, bookId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
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
