package dev.scep.formats.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file's digest, as importers record their source files in a model's provenance. */
public final class FileDigest {
    private FileDigest() {
    }

    /**
     * Reads a file once and digests it.
     *
     * @param file      the file
     * @param algorithm a {@link MessageDigest} algorithm every JDK has, e.g. {@code MD5} or {@code SHA-256}
     * @return the digest in lower-case hexadecimal
     * @throws IOException when the file cannot be read
     */
    public static String of(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no digest algorithm " + algorithm, e);
        }
    }
}
