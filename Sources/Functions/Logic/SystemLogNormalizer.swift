import JSON

/// Turns any event into a system-log entry, with the fields and rules the
/// existing system log's entries follow.
public enum SystemLogNormalizer {
    /// - `action`: `data.action`, else the event name's last `/` segment with
    ///   its first `.` turned into `-` (`pipeline/video.downloaded` → `video-downloaded`);
    /// - `tool`: `data.tool`, else the first `/` segment (`pipeline`);
    /// - `detail`: `data.detail`, else the compact JSON of `data`;
    /// - `reason`: `data.reason` when it is a string.
    public static func fields(eventName: String, data: JSON) -> (action: String, tool: String, detail: String, reason: String?) {
        let segments = eventName.split(separator: "/", omittingEmptySubsequences: false)
        var derivedAction = String(segments.last ?? "")
        if let dot = derivedAction.firstIndex(of: ".") { derivedAction.replaceSubrange(dot...dot, with: "-") }
        let action = data["action"]?.stringValue ?? derivedAction
        let tool = data["tool"]?.stringValue ?? String(segments.first ?? "")
        let detail = data["detail"]?.stringValue ?? data.serialized()
        return (action, tool, detail, data["reason"]?.stringValue)
    }
}
