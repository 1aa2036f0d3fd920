import InngestProtocol

// `signature`: the X-Inngest-Signature header and its verification.
//
// Input: header bytes, NUL, body bytes. Any header must give an answer
// without crashing; and a header made by `sign` for the same body at a time
// within the window must verify, one outside it must not.

private let now: Int64 = 1_767_225_600
private let key = try! SigningKey(parsing: "signkey-test-0123456789abcdef")
private let other = try! SigningKey(parsing: "signkey-prod-fedcba9876543210")

func fuzzSignature(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let skew = Int64(Int8(bitPattern: input.byte())) * 5
    let header = String(decoding: input.field(), as: UTF8.self)
    let body = input.rest()
    _ = RequestSignature.verify(header: header, body: body, keys: [key, other], now: now)
    _ = RequestSignature.verify(header: header, body: body, keys: [key], now: Int64.min)
    _ = RequestSignature.verify(header: header, body: body, keys: [other], now: Int64.max)

    let t = now + skew
    let signed = RequestSignature.sign(body: body, key: key, timestamp: t)
    let result = RequestSignature.verify(header: signed, body: body, keys: [other, key], now: now)
    if abs(skew) <= RequestSignature.maxSkew {
        guard result == .success(key) else { fatalError("own signature at skew \(skew) refused: \(result)") }
    } else {
        guard result == .failure(.expired) else { fatalError("signature at skew \(skew) not expired: \(result)") }
    }
    if case .success = RequestSignature.verify(header: signed, body: body + [0x20, 0x41], keys: [key], now: now) {
        fatalError("signature verified a changed body")
    }
}
