package dev.scep.runtime;

import dev.scep.formats.model.ScepModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One Predictor shared by many threads gives every caller exactly the result a lone caller gets. */
class PredictorConcurrencyTest {
    @Test
    void concurrentSingleAndBatchCallsAgreeWithSequentialResults() throws Exception {
        ScepModel model = RandomModels.scep(7, 2, 21);
        int n = 12;
        List<byte[]> windows = new ArrayList<>();
        List<HalfLifeInput> hl = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            windows.add(RandomModels.window(model.windowLength(), 500 + i));
            hl.add(HalfLifeInput.raw(RandomModels.halfLife(5, i)));
        }
        try (Predictor p = Predictor.of(model, new Predictor.Options(Backend.AUTO, 2))) {
            float[][] expected = new float[n][];
            for (int i = 0; i < n; i++) {
                expected[i] = p.predict(windows.get(i), hl.get(i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        for (int round = 0; round < 5; round++) {
                            for (int k = 0; k < n; k++) {
                                int i = (k + offset) % n;
                                assertThat(p.predict(windows.get(i), hl.get(i))).as("window %d", i).containsExactly(expected[i]);
                            }
                            float[][] batch = p.predictBatch(windows, hl);
                            for (int i = 0; i < n; i++) {
                                assertThat(batch[i]).as("batch window %d", i).containsExactly(expected[i]);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedPredictorRefusesWork() {
        ScepModel model = RandomModels.scep(7, 2, 21);
        byte[] w = RandomModels.window(model.windowLength(), 1);
        HalfLifeInput hl = HalfLifeInput.raw(RandomModels.halfLife(5, 1));
        Predictor p = Predictor.of(model, new Predictor.Options(Backend.AUTO, 2));
        p.close();
        assertThatThrownBy(() -> p.predict(w, hl)).isInstanceOf(IllegalStateException.class)
                .hasMessage("this predictor has been closed");
        assertThatThrownBy(() -> p.predictBatch(List.of(w, w), List.of(hl, hl))).isInstanceOf(IllegalStateException.class)
                .hasMessage("this predictor has been closed");
    }
}
