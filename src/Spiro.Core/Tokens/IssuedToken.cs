namespace Spiro.Core.Tokens;

/// <summary>A freshly issued token: the secret (shown once, never stored) and its stored record.</summary>
public sealed record IssuedToken(string Token, TokenRecord Record);
