#include "lineage/spdx.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace rmtc::lineage {
namespace {

struct Token {
  enum Type { kId, kAnd, kOr, kWith, kOpen, kClose, kEnd } type;
  std::string text;
  std::size_t position;  // 1-based
};

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
         c == '+' || c == ':';
}

absl::Status Error(std::string_view what, std::size_t position) {
  return absl::InvalidArgumentError(
      StrCat("expression: ", what, " at position ", position));
}

absl::StatusOr<std::vector<Token>> Tokenise(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back(
          {c == '(' ? Token::kOpen : Token::kClose, std::string(1, c), i + 1});
      ++i;
    } else if (IsIdChar(c)) {
      const std::size_t start = i;
      while (i < text.size() && IsIdChar(text[i])) ++i;
      std::string word(text.substr(start, i - start));
      Token::Type type = Token::kId;
      if (word == "AND") type = Token::kAnd;
      if (word == "OR") type = Token::kOr;
      if (word == "WITH") type = Token::kWith;
      std::string upper = word;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) {
        return static_cast<char>(std::toupper(ch));
      });
      if (type == Token::kId && (upper == "AND" || upper == "OR" || upper == "WITH")) {
        return Error(StrCat("operators are upper case: '", upper, "', not '", word, "'"),
                     start + 1);
      }
      tokens.push_back({type, std::move(word), start + 1});
    } else {
      return Error(StrCat("unexpected character '", std::string(1, c), "'"), i + 1);
    }
  }
  tokens.push_back({Token::kEnd, "", text.size() + 1});
  return tokens;
}

// Recursive descent over:
//   or   := and ("OR" and)*
//   and  := with ("AND" with)*
//   with := atom ("WITH" exception)?
//   atom := id | "(" or ")"
// Each level returns its value in disjunctive normal form.
class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::function<bool(std::string_view)>& known)
      : tokens_(std::move(tokens)), known_(known) {}

  absl::StatusOr<LicenceExpression> Parse() {
    if (tokens_.front().type == Token::kEnd) {
      return absl::InvalidArgumentError("expression: is empty");
    }
    auto alternatives = ParseOr(0);
    if (!alternatives.ok()) return alternatives.status();
    if (Peek().type != Token::kEnd) {
      return Error(StrCat("expected AND, OR or the end, found '", Peek().text, "'"),
                   Peek().position);
    }
    expression_.alternatives = *std::move(alternatives);
    // Drop repeats: "MIT OR MIT" offers no choice.
    auto& alts = expression_.alternatives;
    std::sort(alts.begin(), alts.end());
    alts.erase(std::unique(alts.begin(), alts.end()), alts.end());
    return expression_;
  }

 private:
  using Dnf = std::vector<std::set<std::string>>;
  static constexpr int kMaxNesting = 32;

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_++]; }

  absl::StatusOr<Dnf> ParseOr(int nesting) {
    auto left = ParseAnd(nesting);
    if (!left.ok()) return left;
    Dnf result = *std::move(left);
    while (Peek().type == Token::kOr) {
      Take();
      auto right = ParseAnd(nesting);
      if (!right.ok()) return right;
      result.insert(result.end(), right->begin(), right->end());
      if (result.size() > kMaxAlternatives) return TooMany();
    }
    return result;
  }

  absl::StatusOr<Dnf> ParseAnd(int nesting) {
    auto left = ParseWith(nesting);
    if (!left.ok()) return left;
    Dnf result = *std::move(left);
    while (Peek().type == Token::kAnd) {
      Take();
      auto right = ParseWith(nesting);
      if (!right.ok()) return right;
      // (a OR b) AND (c OR d) = ac OR ad OR bc OR bd
      if (result.size() * right->size() > kMaxAlternatives) return TooMany();
      Dnf product;
      for (const auto& l : result) {
        for (const auto& r : *right) {
          std::set<std::string> both = l;
          both.insert(r.begin(), r.end());
          product.push_back(std::move(both));
        }
      }
      result = std::move(product);
    }
    return result;
  }

  absl::StatusOr<Dnf> ParseWith(int nesting) {
    auto atom = ParseAtom(nesting);
    if (!atom.ok()) return atom;
    if (Peek().type == Token::kWith) {
      Take();
      const Token& exception = Take();
      if (exception.type != Token::kId) {
        return Error(StrCat("expected an exception id after WITH, found '",
                            exception.text.empty() ? "the end" : exception.text, "'"),
                     exception.position);
      }
      expression_.exceptions.push_back(exception.text);
    }
    return atom;
  }

  absl::StatusOr<Dnf> ParseAtom(int nesting) {
    const Token& token = Take();
    if (token.type == Token::kOpen) {
      if (nesting >= kMaxNesting) return Error("nested too deeply", token.position);
      auto inner = ParseOr(nesting + 1);
      if (!inner.ok()) return inner;
      const Token& close = Take();
      if (close.type != Token::kClose) {
        return Error(
            StrCat("expected ')' to close the '(' at position ", token.position,
                   ", found '", close.text.empty() ? "the end" : close.text, "'"),
            close.position);
      }
      return inner;
    }
    if (token.type != Token::kId) {
      return Error(StrCat("expected a licence id, found '",
                          token.text.empty() ? "the end" : token.text, "'"),
                   token.position);
    }
    if (!known_(token.text)) {
      return Error(StrCat("unknown licence '", token.text,
                          "' (add it with rmtc license add, or check the SPDX id)"),
                   token.position);
    }
    auto& ids = expression_.licence_ids;
    if (std::find(ids.begin(), ids.end(), token.text) == ids.end())
      ids.push_back(token.text);
    return Dnf{{token.text}};
  }

  absl::Status TooMany() const {
    return Error(StrCat("expands to more than ", kMaxAlternatives, " alternatives"),
                 Peek().position);
  }

  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  const std::function<bool(std::string_view)>& known_;
  LicenceExpression expression_;
};

}  // namespace

absl::StatusOr<LicenceExpression> ParseLicenceExpression(
    std::string_view text, const std::function<bool(std::string_view)>& known) {
  if (text.size() > 4096) {
    return absl::InvalidArgumentError("expression: longer than 4096 characters");
  }
  auto tokens = Tokenise(text);
  if (!tokens.ok()) return tokens.status();
  return Parser(*std::move(tokens), known).Parse();
}

}  // namespace rmtc::lineage
