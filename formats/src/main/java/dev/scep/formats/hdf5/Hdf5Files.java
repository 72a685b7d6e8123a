package dev.scep.formats.hdf5;

import io.jhdf.HdfFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** How scep opens HDF5 files (AnnData, Keras models) for jhdf. Stateless and thread-safe. */
public final class Hdf5Files {
    private Hdf5Files() {
    }

    /**
     * Opens {@code file}. One up to 2 GB is memory-mapped and handed over as a buffer, so a corrupted size in the file
     * makes jhdf fail at once on an out-of-range slice instead of allocating (and zeroing) gigabytes for every bogus
     * header it meets (a fuzzing finding); a larger file is read through its channel.
     *
     * @param file an HDF5 file
     * @return the open file; the caller closes it. jhdf reports a file that is not HDF5, or a damaged one, with its
     *         unchecked {@code io.jhdf.exceptions.HdfException}, here or when the file is read
     * @throws IOException when the file cannot be opened or mapped
     */
    public static HdfFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() <= Integer.MAX_VALUE) {
                return HdfFile.fromByteBuffer(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            }
        }
        return new HdfFile(file);
    }

    /**
     * Whether a file starts with the HDF5 signature (at offset 0, where every HDF5 writer of scEP's inputs puts it).
     *
     * @param file a file
     * @return true for HDF5
     * @throws IOException when the file cannot be read
     */
    public static boolean isHdf5(java.nio.file.Path file) throws IOException {
        byte[] magic = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(8), magic);
        }
    }
}
