/// Character classes of the first pass.
enum NameCharClass: UInt8 {
    case space, dot, han, letter, digit, apostrophe, hyphen, comma, other
}
