import Foundation
import Ops

/// `joelclaw console-token [--days N]`: prints a token that signs in to the
/// web console, derived from the signing key the worker uses (so it needs no
/// storage and stops working when the key changes). It is a credential:
/// printed on stdout only, never logged.
public struct ConsoleTokenCommand: CLICommand {
    public static let name = "console-token"
    public static let abstract = "Print a sign-in token for the worker's web console."
    public static let discussion = """
    The token is valid for --days days (default 30) and is derived from the signing key
    (INNGEST_SIGNING_KEY, or the embedded engine's key file, as for 'joelclaw runs').
    Paste it into the console's sign-in form. Without a signing key the console is open
    and there is no token to print (exit 78).
    """
    public static let arguments = ArgumentSpec(options: [.init("days", value: "n", help: "Days the token stays valid (1...365, default 30).")])

    let days: Int

    public init(_ parsed: ParsedArguments) throws {
        if let text = parsed.option("days") {
            guard let n = Int(text), (1...365).contains(n) else { throw UsageError("--days must be 1...365, got '\(text)'") }
            days = n
        } else {
            days = 30
        }
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let connection = try InngestConnection(environment: context.environment, http: context.http)
        let auth = ConsoleAuth(signingKeys: connection.signingKeys)
        let expiry = Int64(Date().timeIntervalSince1970 * 1000) + Int64(days) * 86_400_000
        guard let token = auth.token(expiresAt: expiry) else {
            throw CommandFailure("no signing key is configured, so the console needs no token", exitCode: .configuration)
        }
        context.stdout.write(token + "\n")
        return .success
    }
}
