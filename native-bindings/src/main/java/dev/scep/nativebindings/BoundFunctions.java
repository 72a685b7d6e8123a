package dev.scep.nativebindings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The functions bound per library, as the generator listed them (resource {@code functions.txt}). */
public final class BoundFunctions {
    private BoundFunctions() {
    }

    /** Library name -> its bound functions, read once from the resource the generator writes. */
    private static final Map<String, List<String>> BY_LIBRARY = read();

    /**
     * The functions scep binds in a library.
     *
     * @param library the library
     * @return the names of the functions bound (empty for none)
     */
    public static List<String> of(CudaLibrary library) {
        return BY_LIBRARY.getOrDefault(library.name(), List.of());
    }

    private static Map<String, List<String>> read() {
        Map<String, List<String>> out = new HashMap<>();
        try (var in = BoundFunctions.class.getResourceAsStream("functions.txt")) {
            if (in == null) {
                throw new IllegalStateException("functions.txt is missing from the native-bindings jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f.length == 3) {
                    out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(out);
    }
}
