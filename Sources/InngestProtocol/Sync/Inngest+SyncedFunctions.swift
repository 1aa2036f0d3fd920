import JSON

extension Inngest {
    /// Every function this client serves (onFailure handlers included) as it
    /// is synced: composite `id`, `name`, `triggers` and flow-control keys, for
    /// dashboards that show what a worker serves. The step URL is left out.
    public var syncedFunctionConfigs: [JSON] {
        registeredFunctions.map { function in
            var object = RegisterPayload.function(appId: appId, function, serveURL: "").objectValue ?? JSONObject()
            if let retries = object["steps"]?["step"]?["retries"] { object["steps"] = ["step": ["retries": retries]] }
            return .object(object)
        }
    }
}
