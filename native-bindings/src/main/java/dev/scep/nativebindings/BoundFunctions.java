package dev.scep.nativebindings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The functions bound per library, as the generator listed them (resource {@code functions.txt}). */
public final class BoundFunctions {
    private BoundFunctions() {
    }

    public static List<String> of(CudaLibrary library) {
        List<String> out = new ArrayList<>();
        try (var in = BoundFunctions.class.getResourceAsStream("functions.txt")) {
            if (in == null) {
                throw new IllegalStateException("functions.txt is missing from the native-bindings jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f.length == 3 && f[0].equals(library.name())) {
                    out.add(f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
