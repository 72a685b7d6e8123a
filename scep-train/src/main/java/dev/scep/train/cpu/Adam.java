package dev.scep.train.cpu;

import java.util.List;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad), in float32 like PyTorch's state:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
 */
public final class Adam {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private final Parameters m;
    private final Parameters v;
    private long step;

    public Adam(Parameters shapeLike) {
        this.m = shapeLike.copy();
        this.v = shapeLike.copy();
        m.clear();
        v.clear();
    }

    Adam(Parameters m, Parameters v, long step) {
        this.m = m;
        this.v = v;
        this.step = step;
    }

    public long stepCount() {
        return step;
    }

    /** The first moment (m), by tensor. */
    public Parameters firstMoment() {
        return m;
    }

    /** The second moment (v), by tensor. */
    public Parameters secondMoment() {
        return v;
    }

    /**
     * The bias corrections of step t: {@code stepSize = lr / (1 - beta1^t)} (float, as PyTorch applies it) and
     * {@code bc2Sqrt = sqrt(1 - beta2^t)}.
     *
     * @param stepSize the step size
     * @param bc2Sqrt  the square root of the second bias correction
     */
    public record Corrections(float stepSize, double bc2Sqrt) {
    }

    /**
     * Counts one more step and returns its bias corrections, for an engine that applies the update elsewhere (the GPU).
     *
     * @param lr the learning rate
     * @return the step's corrections
     */
    public Corrections advance(double lr) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        return new Corrections((float) (lr / bc1), Math.sqrt(1 - Math.pow(BETA2, step)));
    }

    /** One update of {@code params} with gradient {@code grad} at learning rate {@code lr}. */
    public void step(Parameters params, Parameters grad, double lr) {
        Corrections c = advance(lr);
        double bc2Sqrt = c.bc2Sqrt();
        float stepSize = c.stepSize();
        List<float[]> ps = params.arrays();
        List<float[]> gs = grad.arrays();
        List<float[]> ms = m.arrays();
        List<float[]> vs = v.arrays();
        for (int k = 0; k < ps.size(); k++) {
            float[] p = ps.get(k);
            float[] g = gs.get(k);
            float[] mk = ms.get(k);
            float[] vk = vs.get(k);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                mk[i] = BETA1 * mk[i] + (1 - BETA1) * gi;
                vk[i] = BETA2 * vk[i] + (1 - BETA2) * gi * gi;
                float denom = (float) (Math.sqrt(vk[i]) / bc2Sqrt) + EPS;
                p[i] -= stepSize * mk[i] / denom;
            }
        }
    }
}
