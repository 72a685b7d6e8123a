package dev.scep.train.cpu;

import dev.scep.formats.io.ScepDataset;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages build {@link SyntheticDatasets}. */
public final class SyntheticDatasetsAccess {
    private SyntheticDatasetsAccess() {
    }

    public static ScepDataset write(Path file, int genes, int populations, long seed) throws IOException {
        return SyntheticDatasets.write(file, genes, populations, seed);
    }
}
