package dev.scep.runtime;

import dev.scep.formats.model.HalfLifeFeature;

import java.util.List;

/** The half-life features of one gene, either raw (normalised by the model) or already normalised. */
public sealed interface HalfLifeInput {

    /** Raw values, in the model's feature order; the model applies its transform and z-score. */
    record Raw(double[] values) implements HalfLifeInput {
    }

    /** Values already as the network sees them (after transform and z-score). */
    record Normalised(float[] values) implements HalfLifeInput {
    }

    static HalfLifeInput raw(double... values) {
        return new Raw(values.clone());
    }

    static HalfLifeInput normalised(float... values) {
        return new Normalised(values.clone());
    }

    /** Every feature at its training mean (normalised 0), as Kipoi's Xpresso reference runs use. */
    static HalfLifeInput zeros(int count) {
        return new Normalised(new float[count]);
    }

    /** The values as the network sees them, checked against the model's features. */
    default float[] toNetworkInput(List<HalfLifeFeature> features) {
        int n = switch (this) {
            case Raw r -> r.values().length;
            case Normalised z -> z.values().length;
        };
        if (n != features.size()) {
            throw new IllegalArgumentException("got " + n + " half-life features, the model needs " + features.size()
                    + " " + features.stream().map(HalfLifeFeature::name).toList());
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (this) {
                case Raw r -> features.get(i).normalise(r.values()[i]);
                case Normalised z -> z.values()[i];
            };
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException("half-life feature " + features.get(i).name() + " is not finite ("
                        + out[i] + ")");
            }
        }
        return out;
    }
}
