package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The article's "Combining Async Context Managers with Async Iteration", over a real database
 * cursor (an embedded H2 result set). {@link AsyncFlow#using} is {@code async with}: the cursor
 * is opened when the flow is collected and closed exactly once however the collection ends.
 *
 * <pre>
 *   Opening cursor...
 * Fetching books:
 *   Book 0
 *   Book 1
 *   Book 2
 *   Book 3
 *   Book 4
 *   Closing cursor...
 * Cursor automatically closed
 * </pre>
 */
public final class CursorResourceExample {
    private CursorResourceExample() {}

    /** A query's open cursor and the connection it needs. */
    record Cursor(Connection connection, ResultSet rows) implements AutoCloseable {
        static Cursor open(String sql) throws SQLException {
            Connection c = DriverManager.getConnection("jdbc:h2:mem:"); // a private in-memory database
            try (Statement s = c.createStatement()) {
                s.execute("create table books(id int primary key, title varchar(50))");
                s.execute("insert into books select x - 1, 'Book ' || (x - 1) from system_range(1, 5)");
            }
            return new Cursor(c, c.createStatement().executeQuery(sql));
        }

        @Override
        public void close() throws SQLException {
            try (connection;
                    rows) {
                // closes the result set, then the connection
            }
        }
    }

    record Book(int id, String title) {}

    static AsyncFlow<Book> fetchBooks() {
        return AsyncFlow.using(
                () -> { // __aenter__
                    System.out.println("  Opening cursor...");
                    Suspend.delay(100);
                    return Cursor.open("select id, title from books order by id");
                },
                cursor -> {
                    System.out.println("Fetching books:");
                    return AsyncFlow.generate(
                            out -> { // __anext__
                                while (cursor.rows().next()) {
                                    Suspend.delay(50); // fetch time
                                    out.emit(new Book(
                                            cursor.rows().getInt(1),
                                            cursor.rows().getString(2)));
                                }
                            });
                },
                cursor -> { // __aexit__
                    System.out.println("  Closing cursor...");
                    cursor.close();
                    Suspend.delay(100);
                });
    }

    public static void main(String[] args) {
        fetchBooks().forEach(book -> System.out.println("  " + book.title()));
        System.out.println("Cursor automatically closed");
    }
}
