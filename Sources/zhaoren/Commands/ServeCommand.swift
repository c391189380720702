import ArgumentParser
import Foundation
import Hummingbird
import Zhaoren
import ZhaorenBase
import ZhaorenService

/// `zhaoren serve`: the lookup service over a base.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a population base to village and county staff: JSON API and a web page, access by area.",
        discussion: """
            Routes: GET /healthz; GET / (the web page); with Authorization: Bearer TOKEN,
            POST /api/v1/match, GET /api/v1/persons/{person}, GET /api/v1/worklists?area=县/乡镇/村,
            POST /api/v1/persons/{person}/notes; with --updates FOLDER, admins also
            POST /api/v1/updates {"settings": "NAME.json"} to apply a settings file of that folder
            as zhaoren base update does. users.json lists each user's name, the SHA-256 of
            their token, their role, their areas and whether they may unmask ID numbers and phones.
            Prints the address once listening (port 0: any free port). Stops on SIGINT or SIGTERM.

            Exit status: 0 stopped, 1 bad base or users file, 64 bad usage.
            """
    )

    @Option(help: ArgumentHelp("The base file (zhaoren base build).", valueName: "file"))
    var db: String

    @Option(help: ArgumentHelp("Where to listen: HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("The users file.", valueName: "file"))
    var users: String

    @Option(help: ArgumentHelp("A folder of monthly settings files that admins may apply (POST /api/v1/updates {\"settings\": \"NAME.json\"}).", valueName: "folder"))
    var updates: String?

    func validate() throws {
        guard let colon = listen.lastIndex(of: ":"), Int(listen[listen.index(after: colon)...]).map({ (0...65535).contains($0) }) == true,
              colon != listen.startIndex else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
    }

    func run() throws {
        let colon = listen.lastIndex(of: ":")!
        let host = String(listen[..<colon]), port = Int(listen[listen.index(after: colon)...])!
        let service: LookupService
        do {
            let base = try PopulationBase(opening: URL(fileURLWithPath: db))
            let people = try ServiceUsers(contentsOf: URL(fileURLWithPath: users))
            service = try LookupService(base: base, users: people, updates: updates.map { URL(fileURLWithPath: $0) })
        } catch {
            Console.error("zhaoren: \(error.description)\n")
            throw ExitCode(1)
        }
        let count = service.matcher.count
        let app = service.application(host: host, port: port) { bound in
            // Unbuffered: whoever started the service waits for this line.
            try? FileHandle.standardOutput.write(contentsOf: Data("zhaoren: serving \(count) persons on http://\(host):\(bound)\n".utf8))
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task.detached {
            do { try await app.runService() } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure {
            Console.error("zhaoren: the service stopped: \(failure)\n")
            throw ExitCode(1)
        }
    }
}
