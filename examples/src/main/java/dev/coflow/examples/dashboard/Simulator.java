package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Random;

/**
 * A simulated stream of library circulation: every {@code interval} a member borrows or returns a
 * book, written to the database with JDBC right inside the generator body, and the event is
 * emitted. The simulated calendar moves one day every {@value #EVENTS_PER_DAY} events, so loans
 * become overdue within seconds. Endless: stop it with {@code take}, or by cancelling the scope
 * that collects it.
 */
final class Simulator {
    static final int EVENTS_PER_DAY = 3;

    private final LibraryDb db;
    private final LocalDate opening;
    private final Duration interval;
    private final long seed;

    Simulator(LibraryDb db, LocalDate opening, Duration interval, long seed) {
        this.db = db;
        this.opening = opening;
        this.interval = interval;
        this.seed = seed;
    }

    /** The events; each collection continues the simulation from the database's current state. */
    AsyncFlow<LibraryEvent> events() {
        return AsyncFlow.generate(out -> {
            Random random = new Random(seed); // the same story on every run
            for (long n = 0; ; n++) {
                Suspend.delay(interval); // asyncio.sleep between events
                LocalDate day = opening.plusDays(n / EVENTS_PER_DAY);
                LibraryEvent event = random.nextInt(100) < 60 ? borrow(random, day) : giveBack(random, day);
                if (event == null) { // nothing to borrow, or nothing to return
                    event = borrow(random, day);
                    if (event == null) {
                        event = giveBack(random, day);
                    }
                }
                out.emit(event);
            }
        });
    }

    private LibraryEvent borrow(Random random, LocalDate day) throws java.sql.SQLException {
        // Some members read more than others: Alice and Bob borrow most.
        int memberId = Math.min(db.memberCount(), 1 + (int) Math.abs(random.nextGaussian() * 2));
        String title = db.checkout(memberId, random.nextInt(1_000), day);
        return title == null
                ? null
                : new LibraryEvent(LibraryEvent.Kind.CHECKOUT, day, db.memberName(memberId), title, System.nanoTime());
    }

    private LibraryEvent giveBack(Random random, LocalDate day) throws java.sql.SQLException {
        String[] loan = db.giveBack(random.nextInt(1_000), day);
        return loan == null
                ? null
                : new LibraryEvent(LibraryEvent.Kind.RETURN, day, loan[0], loan[1], System.nanoTime());
    }
}
