import HTTP
import InngestProtocol
import JSON

/// The console's POSTs: cancel, re-run, send a test event, sign out. Each
/// needs the session's CSRF token; bodies are size-checked and decoded
/// strictly, and the event's JSON is validated before anything is sent.
extension ConsoleHandler {
    func action(_ c: PageContext, _ parts: [String]) async -> HTTPResponse {
        guard c.request.body.count <= maxFormBytes else { return page(413, "<h1>Too large</h1>", session: c.session, csrf: c.csrf) }
        guard let fields = FormFields.decode(c.request.body) else {
            return page(400, "<h1>Bad form</h1><p>The form could not be read.</p>", session: c.session, csrf: c.csrf)
        }
        func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        guard auth.acceptsCSRF(field("csrf"), session: c.session) else {
            return page(403, "<h1>Refused</h1><p>The form is stale or came from another site; reload the page and try again.</p>",
                        session: c.session, csrf: c.csrf)
        }
        switch (parts.count, parts.first ?? "", parts.last ?? "") {
        case (1, "logout", _):
            var response = redirect("/login")
            response.headers.add("Set-Cookie", "\(Self.cookieName)=; Path=\(prefix); HttpOnly; SameSite=Strict; Max-Age=0")
            return response
        case (1, "send", _):
            return await send(c, name: field("name") ?? "", data: field("data") ?? "")
        case (3, "runs", "cancel"):
            do {
                try await sources.api.cancelRun(parts[1])
                return redirect("/runs/\(HTML.queryValue(parts[1]))?flash=cancelled")
            } catch {
                return page(409, "<h1>Not cancelled</h1><p class=\"error\">\(HTML.escape("\(error)"))</p>", section: "runs", session: c.session, csrf: c.csrf)
            }
        case (3, "runs", "rerun"):
            do {
                let id = try await sources.api.rerun(parts[1])
                return redirect("/runs/\(HTML.queryValue(id))?flash=rerun")
            } catch {
                return page(409, "<h1>Not re-run</h1><p class=\"error\">\(HTML.escape("\(error)"))</p>", section: "runs", session: c.session, csrf: c.csrf)
            }
        default:
            return page(404, "<h1>Not found</h1>", session: c.session, csrf: c.csrf)
        }
    }

    private func send(_ c: PageContext, name: String, data: String) async -> HTTPResponse {
        let trimmedName = name.trimmingWhitespace
        let draft = (name: name, data: data)
        switch TestEventForm.validate(name: trimmedName, data: data) {
        case .failure(let problem):
            return await functionsPage(c, sendError: problem.message, draft: draft)
        case .success(let event):
            do {
                _ = try await sources.send(event)
                return redirect("/runs?flash=sent&since=1h")
            } catch {
                return await functionsPage(c, sendError: "Not sent: \(error)", draft: draft)
            }
        }
    }
}

/// The test-event form's rules, separate from I/O: a name of 1–256 bytes
/// without control characters, and data that is a JSON object.
enum TestEventForm {
    struct Problem: Error, Equatable { let message: String }

    static func validate(name: String, data: String) -> Result<InngestEvent, Problem> {
        guard !name.isEmpty else { return .failure(Problem(message: "Not sent: the event needs a name.")) }
        guard name.utf8.count <= 256, !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            return .failure(Problem(message: "Not sent: the name must be at most 256 bytes with no control characters."))
        }
        let text = data.trimmingWhitespace.isEmpty ? "{}" : data
        let parsed: JSON
        do { parsed = try JSON(parsing: Array(text.utf8)) } catch {
            return .failure(Problem(message: "Not sent: the data is not valid JSON (\(error))."))
        }
        guard let object = parsed.objectValue else { return .failure(Problem(message: "Not sent: the data must be a JSON object.")) }
        return .success(InngestEvent(name: name, data: .object(object)))
    }
}
