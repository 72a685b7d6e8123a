package dev.scep.formats.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Makes mutated {@code .scep}/{@code .sced} bytes pass the container's checksums, so the fuzzers also reach the
 * field-by-field decoding behind them (random mutations would almost always stop at a checksum).
 */
final class SectionedFuzzing {
    private SectionedFuzzing() {
    }

    /** The file a fuzzer input stands for: its first byte picks the {@link #repaired} mode, the rest is the file. */
    static byte[] file(byte[] data, byte[] footerMagic) {
        dev.scep.formats.fuzz.FuzzInput in = dev.scep.formats.fuzz.FuzzInput.of(data);
        int mode = in.mode(3);
        return repaired(in.rest(), mode, footerMagic);
    }

    /**
     * Mode 0: the bytes as they are; 1: header and section checksums recomputed wherever the layout can be walked;
     * 2: the same, and the file cut or padded to end with a valid footer after the last walkable section.
     */
    static byte[] repaired(byte[] in, int mode, byte[] footerMagic) {
        if (mode == 0 || in.length < SectionedFile.HEADER_SIZE) {
            return in;
        }
        byte[] b = in.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 24);
        bb.putInt(24, (int) crc.getValue());
        long sections = Integer.toUnsignedLong(bb.getInt(12));
        long pos = SectionedFile.HEADER_SIZE;
        for (long i = 0; i < Math.min(sections, 64); i++) {
            long payload = SectionedFile.alignedPayloadStart(pos);
            if (payload + 4 > b.length) {
                break;
            }
            long length = bb.getLong((int) payload - 8);
            if (length < 0 || length > b.length - payload - 4) {
                break;
            }
            CRC32C c = new CRC32C();
            c.update(b, (int) payload - SectionedFile.SECTION_HEADER_SIZE, (int) (SectionedFile.SECTION_HEADER_SIZE + length));
            bb.putInt((int) (payload + length), (int) c.getValue());
            pos = payload + length + 4;
        }
        if (mode == 2 && pos + SectionedFile.FOOTER_SIZE <= Integer.MAX_VALUE) {
            b = Arrays.copyOf(b, (int) pos + SectionedFile.FOOTER_SIZE);
            ByteBuffer f = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            f.put((int) pos, footerMagic);
            f.putLong((int) pos + 8, b.length);
        }
        return b;
    }
}
