package io.github.stackreplica.mediasync;

import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * XXHash64 of file contents and of short byte strings: the content hash kept in the manifest. It runs at memory speed,
 * so hashing while copying costs little next to the I/O.
 */
public final class ContentHashes {

    /** Pure-Java instance: no native library to unpack into a read-only container's temporary directory. */
    private static final XXHashFactory FACTORY = XXHashFactory.fastestJavaInstance();
    private static final long SEED = 0x6d656469615f7379L;

    private ContentHashes() {
    }

    /** A fresh streaming hash; {@code reset()} it to reuse it for the next file. */
    public static StreamingXXHash64 streaming() {
        return FACTORY.newStreamingHash64(SEED);
    }

    public static long of(byte[] bytes) {
        return of(bytes, bytes.length);
    }

    /** The hash of the first {@code length} bytes. */
    public static long of(byte[] bytes, int length) {
        return FACTORY.hash64().hash(bytes, 0, length, SEED);
    }
}
