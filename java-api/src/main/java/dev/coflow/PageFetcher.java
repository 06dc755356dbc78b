package dev.coflow;

import java.util.List;

/**
 * Fetches one page by number for {@link AsyncFlow#paginate(PageFetcher)}: ordinary Java that may
 * block (a JDBC query, a blocking HTTP call) or call {@code Suspend.*}; it runs as a coroutine body.
 *
 * {@snippet :
 * PageFetcher<Book> fetcher = page -> jdbc.query(
 *         "select * from books order by id limit 10 offset ?", page * 10);
 * }
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface PageFetcher<T> {
    /**
     * Fetches page {@code page}.
     *
     * @param page the page number, from 0
     * @return the page's elements, none null; an empty list (or {@code null}) ends the flow
     * @throws Exception any failure; it ends the flow with that exception
     */
    List<? extends T> fetch(int page) throws Exception;
}
