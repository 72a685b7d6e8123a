package dev.scep.runtime.gpu;

import dev.scep.formats.model.SequenceEncoding;
import dev.scep.runtime.BaseCodes;
import dev.scep.runtime.InvalidSequenceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The first convolution's input on the GPU: a batch of windows travels 2 bits a base and is expanded there into
 * one-hot rows ({@code batch × 4 × row}, conv1's padding columns left zero); ambiguity codes travel as a table of
 * runs that patches those rows with the encoding's channel weights.
 */
final class OneHotInput {
    private final CudaContext cuda;
    private final SequenceEncoding encoding;
    private final int length;                 // window length
    private final int row;                    // one-hot row: window plus conv1's padding
    private final int padLeft;                // conv1's left padding: where the window starts in a row
    private final int bytesPerWindow;
    private final int[] channelOfCode;        // 2-bit code (A, C, G, T) -> model channel
    private final int[] channelBases;         // model channel -> base mask
    private final MemorySegment packed;       // device: batch x bytesPerWindow
    final MemorySegment onehot;               // device: batch x 4 x row
    private MemorySegment runTable;           // device: the ambiguous runs of a batch (patchAmbiguous)
    private long runTableBytes;

    /** A batch encoded on the host: its packed bases, and its ambiguous runs as (window, start, length, mask). */
    record Staged(MemorySegment packedHost, int windows, List<int[]> runs) {
    }

    OneHotInput(CudaContext cuda, SequenceEncoding encoding, int row, int padLeft, int maxBatch) {
        this.cuda = cuda;
        this.encoding = encoding;
        this.length = encoding.windowLength();
        this.row = row;
        this.padLeft = padLeft;
        this.bytesPerWindow = (length + 3) / 4;
        this.channelBases = BaseCodes.channelBases(encoding);
        this.channelOfCode = new int[4];
        int[] codeBases = {BaseCodes.A, BaseCodes.C, BaseCodes.G, BaseCodes.T};
        for (int code = 0; code < 4; code++) {
            for (int ch = 0; ch < 4; ch++) {
                if (channelBases[ch] == codeBases[code]) {
                    channelOfCode[code] = ch;
                }
            }
        }
        packed = cuda.allocateBytes((long) maxBatch * bytesPerWindow);
        onehot = cuda.allocateFloats((long) maxBatch * 4 * row);
        cuda.zero(onehot, (long) maxBatch * 4 * row * Float.BYTES);   // the padding columns stay zero
    }

    /**
     * Encodes and packs the windows into host memory from {@code a}, before anything reaches the device.
     *
     * @throws InvalidSequenceException for a bad window, numbered from {@code firstIndex} in the caller's batch
     */
    Staged stage(java.lang.foreign.SegmentAllocator a, List<byte[]> windows, int firstIndex) {
        int n = windows.size();
        MemorySegment packedHost = a.allocate((long) n * bytesPerWindow);
        List<int[]> runs = new ArrayList<>();        // window, start, length, mask
        byte[] codes = new byte[length];
        for (int w = 0; w < n; w++) {
            try {
                BaseCodes.encode(windows.get(w), length, codes, 0);
            } catch (InvalidSequenceException e) {
                throw e.inBatch(firstIndex + w);
            }
            pack(codes, packedHost, (long) w * bytesPerWindow, w, runs);
        }
        return new Staged(packedHost, n, runs);
    }

    /** Copies the packed bases to the device (on the stream; the host memory must outlive the copy). */
    void upload(Staged batch) {
        cuda.upload(batch.packedHost(), packed, batch.packedHost().byteSize());
    }

    /** Expands the uploaded batch into the one-hot rows and patches the ambiguous runs in. */
    void expand(Arena a, Staged batch) {
        expand(a, batch, packed);
    }

    /** As {@link #expand(Arena, Staged)}, from packed bases the caller copied to {@code packedDevice}. */
    void expand(Arena a, Staged batch, MemorySegment packedDevice) {
        cuda.launch("expand_onehot", (long) batch.windows() * length, packedDevice, batch.windows(), length, bytesPerWindow,
                channelOfCode, row, padLeft, onehot);
        if (!batch.runs().isEmpty()) {
            patchAmbiguous(a, batch.runs());
        }
    }

    /** Bytes of one packed window. */
    int bytesPerWindow() {
        return bytesPerWindow;
    }

    /** 2 bits per base (A=0, C=1, G=2, T=3); ambiguity codes are written as 0 and listed as runs. */
    private void pack(byte[] codes, MemorySegment dst, long offset, int window, List<int[]> runs) {
        for (int p = 0; p < length; p += 4) {
            int b = 0;
            for (int k = 0; k < 4 && p + k < length; k++) {
                int mask = codes[p + k];
                int code = switch (mask) {
                    case BaseCodes.A -> 0;
                    case BaseCodes.C -> 1;
                    case BaseCodes.G -> 2;
                    case BaseCodes.T -> 3;
                    default -> {
                        int[] last = runs.isEmpty() ? null : runs.getLast();
                        if (last != null && last[0] == window && last[3] == mask && last[1] + last[2] == p + k) {
                            last[2]++;
                        } else {
                            runs.add(new int[]{window, p + k, 1, mask});
                        }
                        yield 0;
                    }
                };
                b |= code << (2 * k);
            }
            dst.set(ValueLayout.JAVA_BYTE, offset + p / 4, (byte) b);
        }
    }

    /**
     * Uploads the batch's ambiguous runs as one table, [float4 weights × r][window × r][start × r][length × r]
     * (the weights first, so they keep the allocation's 16-byte alignment), and patches the one-hot rows with it.
     */
    private void patchAmbiguous(Arena a, List<int[]> runs) {
        int r = runs.size();
        long bytes = 16L * r + 3L * Integer.BYTES * r;
        MemorySegment host = a.allocate(bytes, 16);
        int maxRun = 0;
        for (int i = 0; i < r; i++) {
            int[] run = runs.get(i);
            for (int ch = 0; ch < 4; ch++) {
                host.setAtIndex(ValueLayout.JAVA_FLOAT, 4L * i + ch,
                        (float) BaseCodes.channelValue(run[3], channelBases[ch], encoding.ambiguity()));
            }
            for (int f = 0; f < 3; f++) {   // window, start, length
                host.setAtIndex(ValueLayout.JAVA_INT, 4L * r + (long) f * r + i, run[f]);
            }
            maxRun = Math.max(maxRun, run[2]);
        }
        if (bytes > runTableBytes) {   // grown as needed, kept until close (the context's arena frees it)
            runTableBytes = Math.max(bytes, 2 * runTableBytes);
            runTable = cuda.allocateBytes(runTableBytes);
        }
        cuda.upload(host, runTable, bytes);
        long ints = runTable.address() + 16L * r;
        cuda.launch("patch_ambiguous", (long) r * maxRun, MemorySegment.ofAddress(ints),
                MemorySegment.ofAddress(ints + 4L * r), MemorySegment.ofAddress(ints + 8L * r), runTable, r, maxRun, row,
                padLeft, onehot);
        cuda.synchronize();   // the host table above lives only until this method returns
    }
}
