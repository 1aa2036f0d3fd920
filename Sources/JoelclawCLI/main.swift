import Foundation
import Console
import Functions
import Ops

// Everything but the process boundary lives in Ops (`Joelclaw.main`), where tests reach it.
let code = await Joelclaw.main(Array(CommandLine.arguments.dropFirst()), context: .live(), extraCommands: [LoopCommand.self, ConsoleTokenCommand.self])
exit(code.rawValue)
