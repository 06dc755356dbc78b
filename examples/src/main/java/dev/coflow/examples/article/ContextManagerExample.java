package dev.coflow.examples.article;

import dev.coflow.bridge.Suspend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's async context manager ({@code async with DatabaseConnection() as db}): in Java,
 * try-with-resources over an {@link AutoCloseable} whose opening and closing may wait with
 * {@code Suspend.*} (inside a coroutine it suspends rather than blocks). The connection is a real
 * embedded H2 database.
 *
 * <pre>
 *   Opening database connection...
 * Inside async with block
 * Got 3 results
 *   Closing database connection...
 * Outside async with block - connection closed
 * </pre>
 */
public final class ContextManagerExample {
    private ContextManagerExample() {}

    static final class DatabaseConnection implements AutoCloseable {
        private final Connection connection;

        private DatabaseConnection(Connection connection) {
            this.connection = connection;
        }

        /** {@code __aenter__}. */
        static DatabaseConnection open() throws SQLException {
            System.out.println("  Opening database connection...");
            Suspend.delay(100); // connection time
            Connection c = DriverManager.getConnection("jdbc:h2:mem:");
            try (Statement s = c.createStatement()) {
                s.execute("create table books(id int primary key, title varchar(50))");
                s.execute("insert into books values (1, 'Python Guide'), (2, 'Async Patterns'), (3, 'Algorithms')");
            }
            return new DatabaseConnection(c);
        }

        List<String> query(String sql) throws SQLException {
            if (connection.isClosed()) {
                throw new IllegalStateException("Not connected!");
            }
            Suspend.delay(50);
            List<String> results = new ArrayList<>();
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    results.add(rs.getString("title"));
                }
            }
            return results;
        }

        /** {@code __aexit__}. */
        @Override
        public void close() throws SQLException {
            System.out.println("  Closing database connection...");
            Suspend.nonCancellable(() -> Suspend.delay(100)); // cleanup that waits, even if cancelled
            connection.close();
        }
    }

    public static void main(String[] args) throws SQLException {
        try (DatabaseConnection db = DatabaseConnection.open()) {
            System.out.println("Inside async with block");
            List<String> results = db.query("SELECT * FROM books");
            System.out.println("Got " + results.size() + " results");
        }
        System.out.println("Outside async with block - connection closed");
    }
}
