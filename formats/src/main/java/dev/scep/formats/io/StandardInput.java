package dev.scep.formats.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Standard input as a file, for inputs given as {@value #NAME} (as samtools and bcftools read it): the bytes are
 * copied once to a temporary file in {@code java.io.tmpdir}, which every reader can then open by path (htsjdk's VCF
 * reader and its header check read a file twice; indexed readers seek). The file is named by its content, so readers
 * that go by the name see what it is: {@code .bcf} for BCF, {@code .vcf.gz} for gzip (and bgzip), {@code .txt}
 * otherwise. It is deleted when the JVM exits, on SIGTERM too ({@link TemporaryFiles}). Standard input can be read
 * once per process: a second call is an error.
 */
public final class StandardInput {
    /** The name that means standard input. */
    public static final String NAME = "-";

    private static Path spooled;

    private StandardInput() {
    }

    /**
     * Copies standard input to a temporary file.
     *
     * @param what what the input is, for messages (e.g. {@code --vcf})
     * @return the file
     * @throws IOException when standard input was used already, is empty, or the file cannot be written
     */
    public static synchronized Path spool(String what) throws IOException {
        if (spooled != null) {
            throw new IOException(what + " -: standard input is read by another option already; only one input can be '-'");
        }
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(3);
        in.reset();
        if (magic.length == 0) {
            throw new IOException(what + " -: standard input is empty (nothing was piped in)");
        }
        String suffix = magic.length == 3 && magic[0] == 'B' && magic[1] == 'C' && magic[2] == 'F' ? ".bcf"
                : magic.length >= 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b ? ".vcf.gz" : ".txt";
        Path tmp = TemporaryFiles.beside(Path.of(System.getProperty("java.io.tmpdir"), "scep-stdin"), suffix);
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
        spooled = tmp;
        return tmp;
    }
}
