package dev.scep.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes N random 10,500-nt windows (FASTA, 60 columns) for the memory and throughput checks. */
public final class MakeWindows {
    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            for (int i = 0; i < n; i += 100) {
                List<byte[]> ws = BenchModels.windows(Math.min(100, n - i), 10_500, i);
                for (int k = 0; k < ws.size(); k++) {
                    o.write((">w" + (i + k) + "\n").getBytes());
                    byte[] w = ws.get(k);
                    for (int p = 0; p < w.length; p += 60) {
                        o.write(w, p, Math.min(60, w.length - p));
                        o.write('\n');
                    }
                }
            }
        }
    }
}
