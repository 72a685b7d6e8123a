package dev.scep.runtime.gpu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How an algorithm is picked from cuDNN's ranking (the ranking itself needs a GPU; the choice does not). */
class ConvolutionAlgorithmsTest {
    private static final int FMA = 3;
    private static final int DEFAULT = 0;
    private static final int TENSOR_OP = 1;

    private static ConvolutionAlgorithms.Perf perf(int algo, int status, long memory, int determinism, int math) {
        return new ConvolutionAlgorithms.Perf(algo, status, memory, determinism, math);
    }

    @Test
    void theFastestQualifyingFmaEntryWinsOverFasterOnesThatDoNotQualify() {
        List<ConvolutionAlgorithms.Perf> ranking = List.of(
                perf(6, 0, 1L << 40, 1, FMA),        // FFT_TILING: a terabyte of workspace
                perf(1, 0, 0, 1, TENSOR_OP),         // TF32 tensor cores
                perf(3, 9, 0, 1, FMA),               // failed
                perf(0, 0, 0, 0, FMA),               // atomics: not deterministic
                perf(7, 0, 100, 1, DEFAULT),         // plain, but labelled DEFAULT
                perf(2, 0, 100, 1, FMA));
        assertThat(ConvolutionAlgorithms.pick(ranking, 1 << 30, true, new StringBuilder()).algo()).isEqualTo(2);
        // for inference determinism does not matter: algorithm 0 is the first FMA entry that fits
        assertThat(ConvolutionAlgorithms.pick(ranking, 1 << 30, false, new StringBuilder()).algo()).isEqualTo(0);
    }

    @Test
    void aDefaultMathEntryOnlyWhenNoFmaEntryQualifies() {
        List<ConvolutionAlgorithms.Perf> ranking = List.of(perf(1, 0, 0, 1, TENSOR_OP), perf(7, 0, 100, 1, DEFAULT),
                perf(2, 0, 1L << 40, 1, FMA));
        assertThat(ConvolutionAlgorithms.pick(ranking, 1 << 30, true, new StringBuilder()).algo()).isEqualTo(7);
    }

    @Test
    void whenNothingQualifiesEachEntrySaysWhy() {
        StringBuilder why = new StringBuilder();
        assertThat(ConvolutionAlgorithms.pick(List.of(perf(1, 0, 0, 1, TENSOR_OP), perf(6, 0, 5000, 1, FMA),
                perf(0, 0, 0, 0, FMA), perf(4, 3, 0, 1, FMA)), 1000, true, why)).isNull();
        assertThat(why.toString()).isEqualTo("algorithm 1: math type 1 (tensor ops); algorithm 6: workspace 5000 B over"
                + " the budget of 1000 B; algorithm 0: not deterministic; algorithm 4: status 3");
    }
}
