package dev.scep.runtime.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one window's forward pass on dedicated threads with a single hand-off and join.
 *
 * <p>A single window takes a few hundred microseconds, so waking a parked pool thread (tens of microseconds)
 * would eat much of the gain from a second core. Workers therefore spin for a short while after each task
 * before parking, as OpenMP runtimes do: back-to-back calls find them awake. Only one caller uses the workers
 * at a time; a concurrent caller runs its parts itself (correct, just not split).
 */
public final class SpinningPartRunner implements FastForward.PartRunner, AutoCloseable {
    /** How long an idle worker spins before parking. */
    private static final long SPIN_NANOS = 200_000;

    /** One dispatch, published whole through a single volatile write so workers never mix two dispatches. */
    private record Task(long generation, IntConsumer body, int helpers, AtomicInteger remaining, Throwable[] failure) {
    }

    private final Worker[] workers;
    private final ReentrantLock owner = new ReentrantLock();
    private volatile Task task = new Task(0, null, 0, new AtomicInteger(), new Throwable[1]);
    private volatile boolean closed;

    public SpinningPartRunner(int threads) {
        workers = new Worker[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].setDaemon(true);
            workers[i].setName("scep-forward-" + (i + 1));
            workers[i].start();
        }
    }

    @Override
    public void run(int parts, IntConsumer body) {
        if (parts == 1 || workers.length == 0 || closed || !owner.tryLock()) {
            for (int i = 0; i < parts; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            int helpers = Math.min(parts - 1, workers.length);
            Task t = new Task(task.generation() + 1, body, helpers, new AtomicInteger(helpers), new Throwable[1]);
            task = t;
            for (int i = 0; i < helpers; i++) {
                if (workers[i].parked) {
                    LockSupport.unpark(workers[i]);
                }
            }
            body.accept(0);
            for (int i = helpers + 1; i < parts; i++) {
                body.accept(i); // more parts than threads: the caller takes the rest
            }
            while (t.remaining().get() > 0) {
                Thread.onSpinWait();
            }
            Throwable failure = t.failure()[0];
            if (failure instanceof RuntimeException re) {
                throw re;
            } else if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            owner.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        private final int part;
        volatile boolean parked;

        Worker(int part) {
            this.part = part;
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                long deadline = System.nanoTime() + SPIN_NANOS;
                Task t;
                while ((t = task).generation() == seen && !closed) {
                    if (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (task.generation() == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (closed) {
                    return;
                }
                seen = t.generation();
                if (part <= t.helpers()) {
                    try {
                        t.body().accept(part);
                    } catch (Throwable e) {
                        t.failure()[0] = e;
                    } finally {
                        t.remaining().decrementAndGet(); // publishes failure[0] to the caller
                    }
                }
            }
        }
    }
}
