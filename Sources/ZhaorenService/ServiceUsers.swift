import Crypto
import Foundation
import Zhaoren
import ZhaorenBase

/// Who may use the service, and where: `users.json` holds each user's name, the SHA-256 of
/// their bearer token (never the token itself), their role (`worker`, `officer` or `admin`),
/// the areas they see, and whether they may see ID numbers and phones in full.
///
/// ```json
/// {"users": [{"name": "南城社区", "token_sha256": "9f86d0…", "role": "worker", "areas": ["原州区/南关街道/南城社区"]},
///            {"name": "县社保局", "token_sha256": "60303a…", "role": "officer", "areas": ["原州区"], "unmask": true}]}
/// ```
///
/// ```swift
/// let users = try ServiceUsers(contentsOf: URL(fileURLWithPath: "users.json"))
/// users.user(token: "secret-token")?.name
/// ```
public struct ServiceUsers: Sendable {
    /// One user.
    public struct User: Codable, Sendable, Hashable {
        /// What a user may do: every role reads its areas and adds notes; admins also run updates.
        public enum Role: String, Codable, Sendable, CaseIterable { case worker, officer, admin }
        public var name: String
        /// The role (default `worker`).
        public var role: Role
        /// The SHA-256 of the token, 64 hexadecimal digits.
        public var tokenSHA256: String
        /// Areas (`县`, `县/乡镇`, `县/乡镇/村`, or `*`).
        public var areas: [String]
        /// Whether ID numbers and phones are shown in full.
        public var unmask: Bool

        enum CodingKeys: String, CodingKey, CaseIterable { case name, tokenSHA256 = "token_sha256", role, areas, unmask }

        public init(name: String, tokenSHA256: String, role: Role = .worker, areas: [String], unmask: Bool = false) {
            self.name = name; self.tokenSHA256 = tokenSHA256; self.role = role; self.areas = areas; self.unmask = unmask
        }

        public init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            role = try c.decodeIfPresent(Role.self, forKey: .role) ?? .worker
            tokenSHA256 = try c.decode(String.self, forKey: .tokenSHA256).lowercased()
            areas = try c.decode([String].self, forKey: .areas)
            unmask = try c.decodeIfPresent(Bool.self, forKey: .unmask) ?? false
        }

        /// The parsed areas.
        public var parsedAreas: [BaseArea] { areas.compactMap { try? BaseArea(parsing: $0) } }
    }

    struct File: Codable { var users: [User] }

    /// The users.
    public let users: [User]
    private let byHash: [String: User]

    /// Users given in code.
    public init(users: [User]) throws(ZhaorenError) {
        for u in users {
            guard u.tokenSHA256.count == 64, u.tokenSHA256.allSatisfy(\.isHexDigit) else {
                throw ZhaorenError(.settings, "user \(u.name): token_sha256 must be 64 hexadecimal digits (printf %s TOKEN | sha256sum)")
            }
            guard !u.areas.isEmpty else { throw ZhaorenError(.settings, "user \(u.name): no areas") }
            for a in u.areas { _ = try BaseArea(parsing: a) }
        }
        self.users = users
        var map: [String: User] = [:]
        for u in users {
            guard map[u.tokenSHA256] == nil else { throw ZhaorenError(.settings, "two users share a token (user \(u.name))") }
            map[u.tokenSHA256] = u
        }
        byHash = map
    }

    /// Reads `users.json`.
    /// - Throws: `ZhaorenError` naming the file when it is missing or malformed (never showing a token hash).
    public init(contentsOf url: URL) throws(ZhaorenError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ZhaorenError(.io, "cannot read the users file", file: url.path) }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw ZhaorenError(.settings, "not a users file: expected {\"users\": [{\"name\", \"token_sha256\", \"role\" (worker, officer or admin), \"areas\", \"unmask\"}]} and no other keys", file: url.path)
        }
        do { try self.init(users: file.users) } catch { throw ZhaorenError(error.code, error.message, file: url.path) }
    }

    /// The SHA-256 of a token, as `users.json` holds it.
    public static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The user a bearer token belongs to.
    public func user(token: String) -> User? { byHash[Self.hash(token: token)] }
}
