package dev.scep.train;

import dev.scep.formats.model.Architecture;

/** Which network is trained: the paper's cell-population model, or its single-output tissue model (DESIGN §3). */
public enum ModelKind {
    /** One output per population, one hidden dense layer (the scEP cell-population model). */
    CELL_POPULATION,
    /** A single output (one population, e.g. the whole tissue), two hidden dense layers. */
    TISSUE;

    /**
     * The network of this kind.
     *
     * @param outputs          populations predicted (1 for {@link #TISSUE})
     * @param halfLifeFeatures half-life inputs (0 for the sequence-only variant)
     * @param window           window length in bases
     * @return the architecture
     */
    public Architecture architecture(int outputs, int halfLifeFeatures, int window) {
        return this == TISSUE ? Architecture.scepTissue(halfLifeFeatures, window)
                : Architecture.scepMultitask(outputs, halfLifeFeatures, window);
    }
}
