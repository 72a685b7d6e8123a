package dev.scep.runtime.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpinningPartRunnerTest {
    @Test
    void everyPartRunsExactlyOncePerCall() {
        try (SpinningPartRunner r = new SpinningPartRunner(3)) {
            for (int parts : new int[]{1, 2, 3, 5, 8}) {
                for (int call = 0; call < 200; call++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(parts);
                    r.run(parts, hits::incrementAndGet);
                    for (int i = 0; i < parts; i++) {
                        assertThat(hits.get(i)).as("part %d of %d", i, parts).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void aFailingPartFailsTheCall() {
        try (SpinningPartRunner r = new SpinningPartRunner(2)) {
            assertThatThrownBy(() -> r.run(2, part -> {
                if (part == 1) {
                    throw new IllegalArgumentException("boom in part 1");
                }
            })).hasMessage("boom in part 1");
            AtomicIntegerArray hits = new AtomicIntegerArray(2);
            r.run(2, hits::incrementAndGet); // still usable afterwards
            assertThat(hits.get(0) + hits.get(1)).isEqualTo(2);
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirParts() throws Exception {
        try (SpinningPartRunner r = new SpinningPartRunner(2)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    fs.add(pool.submit(() -> {
                        for (int call = 0; call < 500; call++) {
                            AtomicIntegerArray hits = new AtomicIntegerArray(2);
                            r.run(2, hits::incrementAndGet);
                            assertThat(hits.get(0)).isEqualTo(1);
                            assertThat(hits.get(1)).isEqualTo(1);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
