import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import ZhaorenBase
import ZhaorenTestSupport

/// The running service's process, stopped when the tests end.
nonisolated(unsafe) var servicePID: Int32 = 0

/// `zhaoren base build` on a generated city, then `zhaoren serve` on a loopback port, used as a
/// village worker and a county officer would: JSON requests, access by area, masking, notes,
/// bad input, and the web page in headless Chromium.
@Suite(.serialized) struct ServiceCommandTests {
    /// A city, its base, and a running service (started once for the suite).
    final class Running: @unchecked Sendable {
        let folder: URL
        let process: Process
        let port: Int
        /// The village with the most persons needing action, and another one.
        let village: String, otherVillage: String
        init() throws {
            folder = Scratch.path("service-city")
            let generate = try CLIRunner.run(["generate", "--persons", "3000", "--seed", "11", "--out", folder.path])
            precondition(generate.status == 0, generate.stderr)
            let base = folder.appendingPathComponent("base.sqlite")
            let build = try CLIRunner.run(["base", "build", "--settings", folder.appendingPathComponent("coverage.json").path,
                                           "--db", base.path, "--as-of", "2026-11-01"])
            precondition(build.status == 0, build.stderr)
            // The two villages with the most persons needing action.
            let everyone = try PopulationBase(opening: base).worklist(try BaseArea(parsing: "*"))
            var sizes: [String: Int] = [:]
            for p in everyone where !p.village.isEmpty { sizes[p.areaPath, default: 0] += 1 }
            let ranked = sizes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
            precondition(ranked.count >= 2, "the city has fewer than two villages with worklists")
            village = ranked[0]
            otherVillage = ranked[1]
            let users = """
                {"users": [{"name": "村级核查员", "token_sha256": "\(Self.sha256("village-token"))", "role": "worker", "areas": ["\(village)"]},
                           {"name": "县社保局", "token_sha256": "\(Self.sha256("county-token"))", "role": "officer", "areas": ["*"], "unmask": true},
                           {"name": "市数据中心", "token_sha256": "\(Self.sha256("admin-token"))", "role": "admin", "areas": ["*"]}]}
                """
            try users.write(to: folder.appendingPathComponent("users.json"), atomically: true, encoding: .utf8)
            process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = ["serve", "--db", base.path, "--users", folder.appendingPathComponent("users.json").path,
                                 "--listen", "127.0.0.1:0", "--updates", folder.path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The service stops with the test process (a static is never deinitialized).
            servicePID = process.processIdentifier
            atexit { if servicePID > 0 { kill(servicePID, SIGTERM) } }
            // The first line says where it listens.
            var line = Data()
            while !line.contains(0x0A) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self)
            port = Int(text.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            precondition(port > 0, "serve printed \(text)")
        }
        deinit { process.terminate() }

        static func sha256(_ token: String) -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            try! p.run()
            input.fileHandleForWriting.write(Data(token.utf8))
            try! input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(String(decoding: data, as: UTF8.self).prefix(64))
        }
    }

    static let service = try! Running()

    /// One HTTP request to the service.
    func request(_ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> (status: Int, json: Any?, text: String) {
        let r = try requestWithHeaders(method, path, token: token, body: body)
        return (r.status, r.json, r.text)
    }

    /// One HTTP request to the service, with the answer's headers.
    func requestWithHeaders(_ method: String, _ path: String, token: String? = nil, body: String? = nil)
        throws -> (status: Int, json: Any?, text: String, headers: [String: String]) {
        var components = URLComponents(string: "http://127.0.0.1:\(Self.service.port)")!
        let parts = path.split(separator: "?", maxSplits: 1)
        components.path = String(parts[0])
        if parts.count > 1 { components.percentEncodedQuery = String(parts[1]).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { request.httpBody = Data(body.utf8); request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        nonisolated(unsafe) var result: (Int, Data, [String: String]) = (0, Data(), [:])
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let http = response as? HTTPURLResponse
            var headers: [String: String] = [:]
            for (k, v) in http?.allHeaderFields ?? [:] { headers[String(describing: k).lowercased()] = String(describing: v) }
            result = (http?.statusCode ?? 0, data ?? Data(), headers)
            done.signal()
        }.resume()
        done.wait()
        return (result.0, try? JSONSerialization.jsonObject(with: result.1), String(decoding: result.1, as: UTF8.self), result.2)
    }

    @Test func healthAndThePageNeedNoToken() throws {
        let health = try request("GET", "/healthz")
        #expect(health.status == 200 && health.text == "ok")
        let page = try request("GET", "/")
        #expect(page.status == 200 && page.text.contains("找人 · 村级查询"))
        #expect(!page.text.contains("http://") && !page.text.contains("https://"))   // works offline
    }

    @Test func aVillageWorkerSeesTheirVillageMasked() throws {
        let list = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "village-token")
        #expect(list.status == 200, "\(list.text)")
        let persons = try #require((list.json as? [String: Any])?["persons"] as? [[String: Any]])
        #expect(persons.count > 5)
        for p in persons {
            #expect(Self.service.village.hasSuffix("/" + (p["village"] as? String ?? "?")))
            #expect(p["action"] is String)
            if let id = p["id_number"] as? String { #expect(id.contains("********"), "unmasked \(id)") }
        }
        // Another village, the whole county, a bad token, no token.
        #expect(try request("GET", "/api/v1/worklists?area=\(Self.service.otherVillage)", token: "village-token").status == 403)
        let county = String(Self.service.village.split(separator: "/")[0])
        #expect(try request("GET", "/api/v1/worklists?area=\(county)", token: "village-token").status == 403)
        #expect(try request("GET", "/api/v1/worklists?area=原州区", token: "wrong").status == 401)
        #expect(try request("GET", "/api/v1/worklists?area=原州区").status == 401)
        #expect(try request("GET", "/api/v1/worklists?area=a//b", token: "village-token").status == 400)
        #expect(try request("GET", "/api/v1/worklists", token: "village-token").status == 400)
        // The county officer may unmask.
        let officer = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "county-token")
        let full = try #require((officer.json as? [String: Any])?["persons"] as? [[String: Any]])
        #expect(full.count == persons.count)
        #expect(full.contains { ($0["id_number"] as? String)?.count == 18 && !($0["id_number"] as! String).contains("*") })
    }

    @Test func matchFindsThePersonAndExplainsIt() throws {
        let list = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "county-token")
        let persons = try #require((list.json as? [String: Any])?["persons"] as? [[String: Any]])
        let target = try #require(persons.first { $0["birth_date"] is String && $0["id_number"] is String })
        let name = target["name"] as! String, birth = target["birth_date"] as! String, id = target["id_number"] as! String
        // By name and birth date, as a worker would ask.
        let byName = try request("POST", "/api/v1/match", token: "village-token", body: "{\"name\": \"\(name)\", \"birth\": \"\(birth)\"}")
        #expect(byName.status == 200, "\(byName.text)")
        let candidates = try #require((byName.json as? [String: Any])?["candidates"] as? [[String: Any]])
        let best = try #require(candidates.first)
        #expect(best["person"] as? String == target["person"] as? String)
        #expect((best["probability"] as? Double ?? 0) > 0.9)
        let explanation = try #require(best["explanation"] as? [String: Double])
        #expect((explanation["name"] ?? 0) > 5 && (explanation["birth"] ?? 0) > 5)
        #expect((best["id_number"] as? String)?.contains("********") == true)
        #expect(best["labels"] is [String] && best["match_weight"] is Double && best["village"] as? String == target["village"] as? String)
        // By an ID number with one digit mistyped.
        var digits = Array(id)
        digits[10] = digits[10] == "1" ? "2" : "1"
        let typo = try request("POST", "/api/v1/match", token: "county-token", body: "{\"id\": \"\(String(digits))\"}")
        let typoBest = try #require(((typo.json as? [String: Any])?["candidates"] as? [[String: Any]])?.first)
        #expect(typoBest["person"] as? String == target["person"] as? String)
        #expect(typoBest["id_number"] as? String == id)   // the county officer sees it in full
        // Bad input is a 400, never a crash.
        #expect(try request("POST", "/api/v1/match", token: "village-token", body: "{not json").status == 400)
        #expect(try request("POST", "/api/v1/match", token: "village-token", body: "{}").status == 400)
        #expect(try request("POST", "/api/v1/match", token: "village-token", body: "[1, 2]").status == 400)
        #expect(try request("POST", "/api/v1/match", token: "village-token", body: "{\"nmae\": \"\(name)\"}").status == 400)
        #expect(try request("POST", "/api/v1/match", token: "village-token", body: "{\"name\": 7}").status == 400)
        #expect(try request("POST", "/api/v1/match", token: "village-token",
                            body: "{\"name\": \"" + String(repeating: "长", count: 30_000) + "\"}").status == 413)
        #expect(try request("GET", "/healthz").status == 200)
    }

    @Test func notesAreStoredAndShownOnlyInTheirArea() throws {
        let list = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "village-token")
        let persons = try #require((list.json as? [String: Any])?["persons"] as? [[String: Any]])
        let person = try #require(persons.first?["person"] as? String)
        let posted = try request("POST", "/api/v1/persons/\(person)/notes", token: "village-token", body: "{\"text\": \"已入户核实：外出务工\"}")
        #expect(posted.status == 201, "\(posted.text)")
        #expect((posted.json as? [String: Any])?["user"] as? String == "村级核查员")
        let card = try request("GET", "/api/v1/persons/\(person)", token: "village-token")
        let notes = try #require((card.json as? [String: Any])?["notes"] as? [[String: Any]])
        #expect(notes.contains { $0["text"] as? String == "已入户核实：外出务工" })
        #expect(((card.json as? [String: Any])?["records"] as? [[String: Any]])?.isEmpty == false)
        // The note appears in the worklist too.
        let again = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "village-token")
        let listed = try #require(((again.json as? [String: Any])?["persons"] as? [[String: Any]])?.first { $0["person"] as? String == person })
        #expect((listed["notes"] as? [[String: Any]])?.count ?? 0 >= 1)
        // A person of another village is not there for this worker; empty notes are refused.
        let other = try request("GET", "/api/v1/worklists?area=\(Self.service.otherVillage)", token: "county-token")
        let stranger = try #require(((other.json as? [String: Any])?["persons"] as? [[String: Any]])?.first?["person"] as? String)
        #expect(try request("GET", "/api/v1/persons/\(stranger)", token: "village-token").status == 404)
        #expect(try request("POST", "/api/v1/persons/\(stranger)/notes", token: "village-token", body: "{\"text\": \"x\"}").status == 404)
        #expect(try request("POST", "/api/v1/persons/\(person)/notes", token: "village-token", body: "{\"text\": \"  \"}").status == 400)
        #expect(try request("POST", "/api/v1/persons/\(person)/notes", token: "village-token",
                            body: "{\"text\": \"x\", \"user\": \"someone else\"}").status == 400)
        // Every person read is in the audit table: user, endpoint and opaque id only.
        let trail = try PopulationBase(opening: Self.service.folder.appendingPathComponent("base.sqlite")).auditTrail(limit: 100_000)
        #expect(trail.contains { $0.user == "村级核查员" && $0.endpoint == "persons" && $0.person == person })
        #expect(trail.contains { $0.user == "村级核查员" && $0.endpoint == "worklists" })
        #expect(!trail.contains { $0.person == stranger && $0.user == "村级核查员" })
        #expect(try request("GET", "/api/v1/persons/no-such-person", token: "county-token").status == 404)
    }

    @Test func onlyAdminsRunUpdatesThroughTheService() throws {
        let body = "{\"settings\": \"coverage.json\"}"
        #expect(try request("POST", "/api/v1/updates", token: "village-token", body: body).status == 403)
        #expect(try request("POST", "/api/v1/updates", token: "county-token", body: body).status == 403)
        #expect(try request("POST", "/api/v1/updates", body: body).status == 401)
        for bad in ["{\"settings\": \"../coverage.json\"}", "{\"settings\": \"none.json\"}", "{\"settings\": \"coverage.csv\"}",
                    "{\"settings\": \"coverage.json\", \"force\": true}", "not json", "{}"] {
            let r = try request("POST", "/api/v1/updates", token: "admin-token", body: bad)
            #expect(r.status == 400, "\(bad): \(r.status) \(r.text)")
        }
        // The month's files (the same here): applied, nothing to link, the admin recorded.
        let r = try request("POST", "/api/v1/updates", token: "admin-token", body: body)
        #expect(r.status == 200, "\(r.text)")
        let answer = try #require(r.json as? [String: Any])
        #expect((answer["update"] as? Int ?? 0) >= 1)
        let sources = try #require(answer["sources"] as? [[String: Any]])
        #expect(sources.contains { $0["source"] as? String == "police" })
        #expect(sources.allSatisfy { $0["added"] as? Int == 0 && $0["removed"] as? Int == 0 })
        #expect(answer["new"] as? Int == 0 && answer["gone"] as? Int == 0)
    }

    @Test func theMatchIndexFollowsAnUpdateOfTheBase() throws {
        let list = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "county-token")
        let target = try #require(((list.json as? [String: Any])?["persons"] as? [[String: Any]])?.first { $0["birth_date"] is String })
        let body = "{\"name\": \"\(target["name"] as! String)\", \"birth\": \"\(target["birth_date"] as! String)\"}"
        let before = try requestWithHeaders("POST", "/api/v1/match", token: "county-token", body: body)
        let reflected = Int(before.headers["x-zhaoren-base-update"] ?? "") ?? -1
        #expect(reflected >= 0, "\(before.headers)")
        // The month's update (the same files here), while the service runs.
        let update = try CLIRunner.run(["base", "update", "--settings", Self.service.folder.appendingPathComponent("coverage.json").path,
                                        "--db", Self.service.folder.appendingPathComponent("base.sqlite").path, "--as-of", "2026-11-01"])
        #expect(update.status == 0, "\(update.stderr)")
        // Within seconds the service answers from an index of the updated base.
        var now = reflected
        for _ in 0..<60 where now == reflected {
            Thread.sleep(forTimeInterval: 1)
            let r = try requestWithHeaders("POST", "/api/v1/match", token: "county-token", body: body)
            #expect(r.status == 200)
            now = Int(r.headers["x-zhaoren-base-update"] ?? "") ?? -1
        }
        #expect(now > reflected)
        let after = try request("POST", "/api/v1/match", token: "county-token", body: body)
        let best = try #require(((after.json as? [String: Any])?["candidates"] as? [[String: Any]])?.first)
        #expect(best["person"] as? String == target["person"] as? String)   // ids kept by the update
    }

    @Test(.enabled(if: HeadlessChromium.path != nil, "chromium is not installed; browser check skipped"), .timeLimit(.minutes(2)))
    func thePageSearchesInHeadlessChromium() throws {
        let list = try request("GET", "/api/v1/worklists?area=\(Self.service.village)", token: "county-token")
        let persons = try #require((list.json as? [String: Any])?["persons"] as? [[String: Any]])
        let target = try #require(persons.first { $0["birth_date"] is String })
        let name = target["name"] as! String, birth = target["birth_date"] as! String
        let profile = try Scratch.folder("service-chromium")
        defer { Scratch.remove(profile) }
        var hash = URLComponents()
        hash.queryItems = [URLQueryItem(name: "token", value: "village-token"), URLQueryItem(name: "name", value: name),
                           URLQueryItem(name: "birth", value: birth), URLQueryItem(name: "area", value: Self.service.village)]
        let url = "http://127.0.0.1:\(Self.service.port)/#" + (hash.percentEncodedQuery ?? "")
        // The DOM once the page's scripts have run (virtual time lets its requests finish).
        let dom = try HeadlessChromium.run(["--virtual-time-budget=15000", "--dump-dom", url], profile: profile).stdout
        #expect(dom.contains("data-person=\"\(target["person"] as! String)\""), "\(dom.prefix(2000))")
        #expect(dom.contains("<td>\(name)</td>"))
        #expect(dom.contains("********"))          // masked in the page too
        #expect(dom.contains("人需要处理"))         // the worklist loaded
        #expect(!dom.contains("village-token"))   // the token is not left in the page
    }
}

