/// An enterprise name reduced to a comparison key, with what was removed kept beside it.
///
/// ```swift
/// let e = EnterpriseNameNormalizer()
/// e.normalize("宁夏固原市某某商贸有限公司").key     // "某某商贸"
/// e.normalize("固原某某商贸有限责任公司").key       // "某某商贸"
/// e.normalize("某某超市（彭阳）").branch            // "彭阳"
/// ```
public struct EnterpriseName: Sendable, Hashable {
    /// The value as read.
    public var original: String
    /// The comparison key: width-folded, parentheses unified, spaces removed, traditional
    /// characters simplified (when built with a `NameNormalizer`), leading region names,
    /// legal-form suffixes and the branch part removed. Empty if nothing is left.
    public var key: String
    /// The branch part (分公司, 分店, 营业部 … with its place, or a trailing parenthesised
    /// place), without parentheses; empty if none.
    public var branch: String
    /// The leading region names that were removed, concatenated (`"宁夏固原市"`); empty if none.
    public var region: String
    /// The legal-form suffixes that were removed, in their original order (`"有限责任公司"`).
    public var legalForm: String
    /// The name after width folding, before anything was removed (parentheses as ASCII `(` `)`).
    public var folded: String
    /// FNV-1a 64 of `key`'s UTF-8 bytes; 0 when `key` is empty. Stable across runs and machines.
    public var keyHash: UInt64
}
