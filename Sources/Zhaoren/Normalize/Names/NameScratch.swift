/// Reusable per-worker buffers for `NameNormalizer`; refilled on every call. Not `Sendable`.
struct NameScratch {
    var scalars: [UInt32] = []
    var classes: [NameCharClass] = []
    var folded: [UInt32] = []
    var bytes: [UInt8] = []
    var pinyin: [UInt8] = []
    var fuzzy: [UInt8] = []

    init() {
        scalars.reserveCapacity(64)
        classes.reserveCapacity(64)
        folded.reserveCapacity(64)
        bytes.reserveCapacity(256)
        pinyin.reserveCapacity(256)
        fuzzy.reserveCapacity(256)
    }
}
