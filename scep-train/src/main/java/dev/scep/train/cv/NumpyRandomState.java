package dev.scep.train.cv;

/**
 * numpy's legacy {@code RandomState} (MT19937), as far as the original scEP split uses it: seeding with an integer
 * ({@code np.random.seed(s)}, {@code check_random_state(s)}: Matsumoto and Nishimura's {@code init_genrand}), and
 * {@code shuffle}/{@code permutation} of a 1-D array (Fisher–Yates from the end, each index drawn by
 * {@code random_interval}: the smallest bit mask covering the bound, rejection above it, over 32-bit outputs).
 * Not thread-safe: one instance per draw.
 */
final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    /**
     * {@code np.random.RandomState(seed)}.
     *
     * @param seed 0 to 2<sup>32</sup> − 1, as numpy accepts
     */
    NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("numpy seeds are 0 to 2^32 - 1, got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** The next 32-bit output (genrand_int32), as an unsigned value. */
    long nextUint32() {
        if (mti >= N) {
            generate();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void generate() {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        mti = 0;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] (max below 2<sup>31</sup> here). */
    int interval(int max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        while ((value = nextUint32() & mask) > max) {
            // rejected: draw again, as numpy does
        }
        return (int) value;
    }

    /** {@code shuffle(x)} of a 1-D array, in place. */
    void shuffle(int[] x) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = interval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    /** {@code permutation(n)}: a shuffled {@code arange(n)}. */
    int[] permutation(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        shuffle(x);
        return x;
    }
}
