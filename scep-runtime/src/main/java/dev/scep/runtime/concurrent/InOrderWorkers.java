package dev.scep.runtime.concurrent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tasks run on a few daemon threads while the submitting thread takes their results back in submission order, with at
 * most {@code window} tasks in flight so memory stays bounded: the shape of the streaming jobs (one reader, several
 * scorers, one ordered writer). A task's exception is rethrown to the submitter.
 */
public final class InOrderWorkers<R> implements AutoCloseable {
    /** Receives each result on the submitting thread, in submission order. */
    public interface Sink<R> {
        void accept(R result) throws IOException;
    }

    private final ExecutorService pool;
    private final java.util.List<AutoCloseable> resources = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final ArrayDeque<Future<R>> inFlight = new ArrayDeque<>();
    private final int window;
    private final Sink<R> sink;

    public InOrderWorkers(String threadName, int threads, int window, Sink<R> sink) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.window = Math.max(1, window);
        this.sink = sink;
    }

    /**
     * A resource per worker thread (a predictor, a scorer: not thread-safe, costly to make), made on a thread's first
     * call and closed with the workers.
     */
    public <T extends AutoCloseable> java.util.function.Supplier<T> perThread(java.util.function.Supplier<T> make) {
        ThreadLocal<T> local = ThreadLocal.withInitial(() -> {
            T t = make.get();
            resources.add(t);
            return t;
        });
        return local::get;
    }

    /** Queues a task; when the window is full, first hands the oldest results to the sink. */
    public void submit(Callable<R> task) throws IOException {
        inFlight.add(pool.submit(task));
        while (inFlight.size() > window) {
            sink.accept(take(inFlight.poll()));
        }
    }

    /** Waits for every queued task and hands its result to the sink. */
    public void finish() throws IOException {
        while (!inFlight.isEmpty()) {
            sink.accept(take(inFlight.poll()));
        }
    }

    private static <R> R take(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;   // an OutOfMemoryError stays one, for the caller's handler to name
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);   // no task still using a resource
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a worker's " + r.getClass().getSimpleName(), e);
            }
        }
    }
}
