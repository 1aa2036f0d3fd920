import Foundation
import Ops

// Everything but the process boundary lives in Ops (`Joelclaw.main`), where tests reach it.
let code = await Joelclaw.main(Array(CommandLine.arguments.dropFirst()), context: .live())
exit(code.rawValue)
