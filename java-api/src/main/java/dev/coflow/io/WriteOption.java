package dev.coflow.io;

/**
 * How {@link AsyncFiles#write}, {@link AsyncFiles#writeBytes}, {@link AsyncFiles#writeString} and
 * {@link AsyncFiles#open} treat the target file. Without options the file is created if missing and
 * its content replaced (the JDK's {@code CREATE, TRUNCATE_EXISTING, WRITE}).
 *
 * {@snippet :
 * AsyncFiles.write(Path.of("report.txt"), lines, WriteOption.ATOMIC);      // all or nothing
 * AsyncFiles.write(Path.of("app.log"), more, WriteOption.APPEND);          // add at the end
 * }
 *
 * <p>kotlinx counterpart: none; the JDK's {@link java.nio.file.StandardOpenOption} for the first two.
 * {@code APPEND} and {@code ATOMIC} cannot be combined ({@link IllegalArgumentException} naming both).
 */
public enum WriteOption {
    /** Write at the end of the file, creating it if missing; existing content is kept. */
    APPEND,
    /** Fail (cause {@link java.nio.file.FileAlreadyExistsException}) if the file exists already. */
    CREATE_NEW,
    /**
     * Write to a temporary file in the same folder and move it over the target only when
     * everything was written: readers see the old content or the new one, never a half-written
     * file. On failure or cancellation the temporary file is deleted and the target is untouched.
     * A replaced file keeps its POSIX permissions; a new one is created owner-only, as
     * {@code Files.createTempFile} makes it.
     */
    ATOMIC
}
