/// The frame every console page shares: head, navigation, main content.
/// `body` is markup the page renderers built (their data already escaped).
struct ConsoleLayout: Sendable {
    /// Where the console is mounted, e.g. `/console`.
    let prefix: String
    /// Whether to offer "Sign out" (a session exists).
    let signedIn: Bool

    static let sections = [("runs", "Runs"), ("functions", "Functions"), ("events", "Events"),
                           ("services", "Services"), ("loops", "Loops")]

    func page(title: String, section: String, body: String, flash: String? = nil, csrf: String = "") -> String {
        var nav = ""
        for (slug, label) in Self.sections {
            nav += "<a href=\"\(prefix)/\(slug)\"\(slug == section ? " class=\"on\"" : "")>\(label)</a>"
        }
        let signOut = signedIn
            ? "<form class=\"inline\" method=\"post\" action=\"\(prefix)/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\"><button>Sign out</button></form>"
            : ""
        let flashHTML = flash.map { "<p class=\"flash\">\(HTML.escape($0))</p>" } ?? ""
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(HTML.escape(title)) · joelclaw console</title>
        <link rel="stylesheet" href="\(prefix)/assets/console.css"></head>
        <body><header><b>joelclaw</b><nav>\(nav)</nav>\(signOut)</header>
        <main>\(flashHTML)\(body)</main><script src="\(prefix)/assets/console.js"></script></body></html>
        """
    }

    func loginPage(error: String?) -> String {
        let message = error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in · joelclaw console</title>
        <link rel="stylesheet" href="\(prefix)/assets/console.css"></head><body><main>
        <h1>joelclaw console</h1><div class="card"><form method="post" action="\(prefix)/login">\(message)
        <p><label for="key">Signing key or a token from <code>joelclaw console-token</code></label></p>
        <p><input id="key" name="key" type="password" autocomplete="current-password" class="wide-input"></p>
        <p><button>Sign in</button></p></form></div></main></body></html>
        """
    }
}
