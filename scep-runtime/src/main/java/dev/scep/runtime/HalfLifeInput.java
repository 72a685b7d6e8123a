package dev.scep.runtime;

import dev.scep.formats.model.HalfLifeFeature;

import java.util.List;

/**
 * The half-life features of one gene, either raw (normalised by the model) or already normalised. Immutable: the
 * factories and accessors copy the arrays.
 */
public sealed interface HalfLifeInput {

    /**
     * Raw values, in the model's feature order; the model applies its transform and z-score.
     *
     * @param values for scEP: 5′ UTR, 3′ UTR, ORF and total intron lengths (bases) and exon-junction density (exons
     *               per 1,000 ORF bases), as {@code scep prepare --halflife-out} writes them
     */
    record Raw(double[] values) implements HalfLifeInput {
        /** Copies the values. */
        public Raw {
            values = values.clone();
        }

        /**
         * The raw values.
         *
         * @return a copy
         */
        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && java.util.Arrays.equals(values, r.values);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Raw" + java.util.Arrays.toString(values);
        }
    }

    /**
     * Values already as the network sees them (after transform and z-score).
     *
     * @param values one per model feature
     */
    record Normalised(float[] values) implements HalfLifeInput {
        /** Copies the values. */
        public Normalised {
            values = values.clone();
        }

        /**
         * The normalised values.
         *
         * @return a copy
         */
        @Override
        public float[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Normalised n && java.util.Arrays.equals(values, n.values);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Normalised" + java.util.Arrays.toString(values);
        }
    }

    /**
     * Raw features (the model normalises them).
     *
     * @param values in the model's feature order
     * @return the input
     */
    static HalfLifeInput raw(double... values) {
        return new Raw(values);
    }

    /**
     * Features already normalised.
     *
     * @param values in the model's feature order, as the network sees them
     * @return the input
     */
    static HalfLifeInput normalised(float... values) {
        return new Normalised(values);
    }

    /**
     * Every feature at its training mean (normalised 0), as Kipoi's Xpresso reference runs use.
     *
     * @param count the model's number of half-life features
     * @return the input
     */
    static HalfLifeInput zeros(int count) {
        return new Normalised(new float[count]);
    }

    /**
     * The values as the network sees them, checked against the model's features.
     *
     * @param features the model's half-life features (their transform and z-score)
     * @return one normalised value per feature, a new array
     * @throws IllegalArgumentException for the wrong number of values, or a value that is not finite after
     *                                  normalisation
     */
    default float[] toNetworkInput(List<HalfLifeFeature> features) {
        double[] raw = this instanceof Raw r ? r.values() : null;
        float[] normalised = this instanceof Normalised z ? z.values() : null;
        int n = raw != null ? raw.length : normalised.length;
        if (n != features.size()) {
            throw new IllegalArgumentException("got " + n + " half-life features, the model needs " + features.size()
                    + " " + features.stream().map(HalfLifeFeature::name).toList());
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = raw != null ? features.get(i).normalise(raw[i]) : normalised[i];
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException("half-life feature " + features.get(i).name() + " is not finite ("
                        + out[i] + ")");
            }
        }
        return out;
    }
}
