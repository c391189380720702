import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import Zhaoren
import ZhaorenBase

/// The lookup service over a population base: JSON over HTTP for village and county staff,
/// each user seeing only their areas; ID numbers and phones masked unless the user may unmask.
///
/// | route | answer |
/// |---|---|
/// | `GET /healthz` | `ok` (no token needed) |
/// | `GET /` | the web page for village staff |
/// | `POST /api/v1/match` | `{"candidates": [...]}` for any of `name`, `id`, `birth`, `sex`, `phone` |
/// | `GET /api/v1/persons/{person}` | the person with records, labels, action and notes |
/// | `GET /api/v1/worklists?area=县/乡镇/村` | the persons needing action there |
/// | `POST /api/v1/persons/{person}/notes` | stores `{"text": …}` with the user and time |
/// | `POST /api/v1/updates` | admins only: `{"settings": "NAME.json"}` applies that month's settings (a file in the service's updates folder) as `zhaoren base update` does |
///
/// Every `/api` request carries `Authorization: Bearer TOKEN`; bad input is answered with 400,
/// a missing or unknown token with 401, an area outside the user's with 403, and a person
/// outside them with 404 (as if absent).
///
/// ```swift
/// let service = try LookupService(base: base, users: users)
/// try await service.application(host: "127.0.0.1", port: 8080).runService()
/// ```
public struct LookupService: Sendable {
    public let base: PopulationBase
    /// The match index (rebuilt after the base is updated).
    public let matchers: MatcherCache
    /// The match index answering now.
    public var matcher: BaseMatcher { matchers.current().matcher }
    public let users: ServiceUsers
    /// The folder holding the monthly settings files admins may apply (`nil`: no updates).
    public let updates: URL?
    /// Whether an update is running (one at a time).
    let updating = UpdateGate()

    /// Opens the service's index over `base` (every person's name normalized once). With
    /// `updates`, admins may apply a settings file of that folder (`POST /api/v1/updates`).
    public init(base: PopulationBase, users: ServiceUsers, names: NameNormalizer? = nil, updates: URL? = nil) throws(ZhaorenError) {
        self.base = base
        self.users = users
        self.updates = updates
        matchers = try MatcherCache(base: base, names: names)
    }

    /// The request context: the authenticated user.
    public struct Context: RequestContext {
        public var coreContext: CoreRequestContextStorage
        public var user: ServiceUsers.User?
        public init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            user = nil
        }
        /// Request bodies above this many bytes are answered with 413.
        public var maxUploadSize: Int { 64 * 1024 }
    }

    /// The router with every route.
    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: BodyLimit(limit: 64 * 1024))
        router.get("/healthz") { _, _ in "ok" }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: WebPage.html)))
        }
        let api = router.group("api/v1").add(middleware: BearerAuth(users: users))
        let service = self
        api.post("match") { request, context -> EditedResponse<MatchAnswer> in
            let user = context.user!
            let query: BaseMatcher.Query
            do { query = try await request.decode(as: BaseMatcher.Query.self, context: context) } catch {
                throw HTTPError(.badRequest, message: "expected a JSON object with any of name, id, birth, sex, phone (strings) and nothing else")
            }
            guard !query.isEmpty else { throw HTTPError(.badRequest, message: "give at least one of name, id, birth, sex, phone") }
            let areas = user.parsedAreas
            let (matcher, update) = service.matchers.current()
            let found = matcher.match(query, limit: 50).filter { $0.person.lies(in: areas) }.prefix(10)
            try service.base.audit(user: user.name, endpoint: "match", persons: found.map(\.person.person))
            // Which base update the match index reflects (0: as built).
            return EditedResponse(status: .ok, headers: [HTTPField.Name("X-Zhaoren-Base-Update")!: String(update)],
                                  response: MatchAnswer(candidates: found.map { MatchCandidate($0, unmask: user.unmask) }))
        }
        api.get("persons/:person") { _, context -> PersonAnswer in
            let user = context.user!
            let id = try context.parameters.require("person")
            guard let p = try service.visiblePerson(id, user) else { throw HTTPError(.notFound, message: "no such person") }
            try service.base.audit(user: user.name, endpoint: "persons", persons: [p.person])
            return PersonAnswer(p, unmask: user.unmask)
        }
        api.get("worklists") { request, context -> WorklistAnswer in
            let user = context.user!
            guard let text = request.uri.queryParameters["area"].map(String.init), !text.isEmpty else {
                throw HTTPError(.badRequest, message: "give ?area=县/乡镇/村")
            }
            let area: BaseArea
            do { area = try BaseArea(parsing: text) } catch let error as ZhaorenError { throw HTTPError(.badRequest, message: error.message) }
            guard user.parsedAreas.contains(where: { $0.contains(area) }) else {
                throw HTTPError(.forbidden, message: "area \(area.description) is outside yours")
            }
            let persons = try service.base.worklist(area)
            try service.base.audit(user: user.name, endpoint: "worklists", persons: persons.map(\.person))
            return WorklistAnswer(area: area.description, persons: persons.map { PersonAnswer($0, unmask: user.unmask) })
        }
        api.post("persons/:person/notes") { request, context -> EditedResponse<BaseNote> in
            let user = context.user!
            let id = try context.parameters.require("person")
            let text = try await Self.stringField("text", of: request, context: context, example: "…")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...2000).contains(text.count) else { throw HTTPError(.badRequest, message: "a note is 1 to 2000 characters") }
            guard try service.visiblePerson(id, user) != nil,
                  let stored = try service.base.addNote(person: id, user: user.name, text: text) else {
                throw HTTPError(.notFound, message: "no such person")
            }
            return EditedResponse(status: .created, response: stored)
        }
        api.post("updates") { request, context -> UpdateAnswer in
            let user = context.user!
            guard user.role == .admin else { throw HTTPError(.forbidden, message: "only an admin may run updates") }
            guard let folder = service.updates else {
                throw HTTPError(.notFound, message: "updates are not enabled: start the service with --updates FOLDER")
            }
            // A file name of the updates folder, nothing else.
            let name = try await Self.stringField("settings", of: request, context: context, example: "NAME.json")
            guard name.hasSuffix(".json"), !name.contains("/"), !name.contains("\\"), !name.hasPrefix("."), name.utf8.count <= 200 else {
                throw HTTPError(.badRequest, message: "settings must name a .json file of the service's updates folder")
            }
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw HTTPError(.badRequest, message: "no settings file \(name) in the updates folder")
            }
            guard service.updating.enter() else {
                throw HTTPError(.conflict, message: "an update is already running")
            }
            defer { service.updating.leave() }
            let base = service.base
            let outcome: Result<PopulationBase.UpdateSummary, ZhaorenError> = await withCheckedContinuation { done in
                DispatchQueue.global().async {
                    do throws(ZhaorenError) {
                        done.resume(returning: .success(try base.update(settingsFile: url, user: user.name)))
                    } catch {
                        done.resume(returning: .failure(error))
                    }
                }
            }
            switch outcome {
            case .success(let summary): return UpdateAnswer(summary)
            case .failure(let error):
                // The user's own settings or files: say what is wrong (file, line, column), no values.
                let status: HTTPResponse.Status = error.code == .io && error.message.hasPrefix("cannot update the base") ? .internalServerError : .badRequest
                throw HTTPError(status, message: error.description)
            }
        }
        return router
    }

    /// The one string field `key` of a JSON body with no other key; else 400 with an example.
    static func stringField(_ key: String, of request: Request, context: Context, example: String) async throws -> String {
        let fields: [String: String]
        do { fields = try await request.decode(as: [String: String].self, context: context) } catch { fields = [:] }
        guard fields.count == 1, let value = fields[key] else {
            throw HTTPError(.badRequest, message: "expected {\"\(key)\": \"\(example)\"} and no other key")
        }
        return value
    }

    /// The person `id` if they live or are registered in one of the user's areas.
    func visiblePerson(_ id: String, _ user: ServiceUsers.User) throws -> BasePerson? {
        guard id.count <= 64, let p = try base.person(id) else { return nil }
        return p.lies(in: user.parsedAreas) ? p : nil
    }

    /// The HTTP application on `host:port` (port 0: any free port); `onRunning` gets the port.
    public func application(host: String, port: Int, logLevel: Logger.Level = .warning,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "zhaoren.serve")
        logger.logLevel = logLevel
        return Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "zhaoren"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }
}

/// `Authorization: Bearer TOKEN` → the user, or 401.
struct BearerAuth: RouterMiddleware {
    typealias Context = LookupService.Context
    let users: ServiceUsers
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7,
              let user = users.user(token: String(header.dropFirst(7))) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "a valid bearer token is needed")
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}

/// 413 from Content-Length before any body byte is read.
struct BodyLimit<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "bodies are at most \(limit) bytes")
        }
        return try await next(request, context)
    }
}

/// A person as answers show it: ID number and phone masked unless the user may unmask.
struct PersonAnswer: ResponseEncodable, Sendable {
    var person: String, name: String, sex: String?, birthDate: String?, idNumber: String?, phone: String?
    var county: String, township: String, village: String, grid: String
    var labels: [String], action: String?, actionText: String?, records: [SourceRow], notes: [BaseNote]

    enum CodingKeys: String, CodingKey {
        case person, name, sex, birthDate = "birth_date", idNumber = "id_number", phone, county, township, village, grid
        case labels, action, actionText = "action_text", records, notes
    }

    init(_ p: BasePerson, unmask: Bool) {
        person = p.person; name = p.name; sex = p.sex; birthDate = p.birthDate
        idNumber = unmask ? p.idNumber : p.idNumber.map(Masking.idNumber)
        phone = unmask ? p.phone : p.phone.map(Masking.phone)
        county = p.county; township = p.township; village = p.village; grid = p.grid
        labels = p.labels; action = p.action; actionText = p.actionText; records = p.records; notes = p.notes
    }
}

struct MatchCandidate: Encodable, Sendable {
    var person: PersonAnswer
    var probability: Double, matchWeight: Double, explanation: [String: Double]

    init(_ c: BaseMatcher.Candidate, unmask: Bool) {
        person = PersonAnswer(c.person, unmask: unmask)
        probability = (c.probability * 1e6).rounded() / 1e6
        matchWeight = (c.matchWeight * 1e3).rounded() / 1e3
        explanation = c.explanation.mapValues { ($0 * 1e3).rounded() / 1e3 }
    }

    /// The person's fields beside the score, flat, as the API documents.
    func encode(to encoder: any Encoder) throws {
        try person.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(probability, forKey: .probability)
        try c.encode(matchWeight, forKey: .matchWeight)
        try c.encode(explanation, forKey: .explanation)
    }
    enum Keys: String, CodingKey { case probability, matchWeight = "match_weight", explanation }
}

struct MatchAnswer: ResponseEncodable, Sendable { var candidates: [MatchCandidate] }
struct WorklistAnswer: ResponseEncodable, Sendable { var area: String; var persons: [PersonAnswer] }
extension BaseNote: ResponseEncodable {}

/// What `POST /api/v1/updates` answers: the update's summary.
struct UpdateAnswer: ResponseEncodable, Sendable {
    struct Source: Encodable, Sendable { var source: String, mode: String, rows: Int, kept: Int, added: Int, removed: Int }
    var update: Int, persons: Int, new: Int, gone: Int, changed: Int, unchanged: Int
    var sources: [Source]

    init(_ s: PopulationBase.UpdateSummary) {
        update = s.update; persons = s.persons; new = s.new; gone = s.gone; changed = s.changed; unchanged = s.unchanged
        sources = s.sources.map { Source(source: $0.source, mode: $0.mode.rawValue, rows: $0.rows, kept: $0.kept, added: $0.added, removed: $0.removed) }
    }
}

/// One update at a time.
final class UpdateGate: Sendable {
    private let busy = Mutex(false)
    /// Takes the gate; `false` when an update holds it.
    func enter() -> Bool { busy.withLock { b in if b { return false }; b = true; return true } }
    func leave() { busy.withLock { $0 = false } }
}
