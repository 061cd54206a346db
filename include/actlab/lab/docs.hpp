// The activation reference, generated from the catalogue: docs/activations.md
// (summary table and one section per activation) and one curve + derivative
// PNG per activation under docs/img/. Regenerate with `actlab docs`.
#pragma once

#include <cstdint>
#include <string>

namespace actlab::lab {

// Comma-separated property names for a Prop bit set ("zero-centred, ...").
std::string props_text(std::uint32_t props);

// The Markdown text of activations.md (images referenced as img/<name>.png).
std::string activations_markdown();

// Writes <dir>/activations.md and <dir>/img/<name>.png for every activation
// (creating the folders), each file atomically. Returns the number of files
// written. Throws DataError naming the path that cannot be written.
int write_activation_docs(const std::string& dir);

}  // namespace actlab::lab
