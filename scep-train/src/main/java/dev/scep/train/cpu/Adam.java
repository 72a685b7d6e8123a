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

    Parameters firstMoment() {
        return m;
    }

    Parameters secondMoment() {
        return v;
    }

    /** One update of {@code params} with gradient {@code grad} at learning rate {@code lr}. */
    public void step(Parameters params, Parameters grad, double lr) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(BETA2, step));
        float stepSize = (float) (lr / bc1);
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
