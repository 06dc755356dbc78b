package dev.coflow.io;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;

/**
 * Bytes that are not valid text in the charset they are decoded with: thrown (as the cause of the
 * {@link java.io.UncheckedIOException} a blocking terminal throws) by {@link AsyncFiles#lines},
 * {@link AsyncFiles#readString}, {@link AsyncFiles#follow} and {@link ByteFlows#lines} when they
 * decode with {@link java.nio.charset.CodingErrorAction#REPORT} (the default). The message names
 * the source (the file) and the byte offset of the first bad byte, counted from the start of the
 * source (a byte order mark included).
 *
 * {@snippet :
 * try {
 *     AsyncFiles.lines(path).count();
 * } catch (UncheckedIOException e) {
 *     if (e.getCause() instanceof MalformedTextException bad) {
 *         System.err.println("bad byte at " + bad.offset());   // then maybe retry with REPLACE
 *     }
 * }
 * }
 *
 * <p>kotlinx counterpart: none (kotlinx has no file I/O); the JDK's
 * {@link java.nio.charset.MalformedInputException} says neither where nor in which file.
 */
public final class MalformedTextException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    /** What was decoded: a path or a description. */
    private final String source;
    /** The offset of the first bad byte. */
    private final long offset;
    /** The length of the bad sequence. */
    private final int length;
    /** The charset's name. */
    private final String charset;
    /** Unmappable rather than malformed. */
    private final boolean unmappable;

    MalformedTextException(String source, long offset, int length, Charset charset, boolean unmappable) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.charset = charset.name();
        this.unmappable = unmappable;
    }

    /**
     * What was being decoded: the file's path, or a description of a byte flow.
     *
     * @return the source's name
     */
    public String source() {
        return source;
    }

    /**
     * The offset of the first bad byte, from the start of the source.
     *
     * @return a byte offset, {@code >= 0}
     */
    public long offset() {
        return offset;
    }

    /**
     * How many bytes from {@link #offset()} form the bad sequence.
     *
     * @return a length, {@code >= 1}
     */
    public int length() {
        return length;
    }

    @Override
    public String getMessage() {
        return (unmappable ? "unmappable " : "malformed ") + charset + " input in " + source + " at byte offset "
                + offset
                + " (" + length + (length == 1 ? " byte" : " bytes")
                + "); decode with the right charset, or pass CodingErrorAction.REPLACE to replace bad input with U+FFFD";
    }
}
