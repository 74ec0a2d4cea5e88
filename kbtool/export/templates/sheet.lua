-- kbtool's pandoc filter for the cheat sheet (kbtool/export/typst_source.py).
--
-- The input is the sheet in pieces (a topic heading, an entry, the drafts list),
-- each starting with its heading of class kb-entry or kb-topic. Every piece is made
-- ready for typst here, in the pandoc run that reads the Markdown and writes typst:
--
-- * heading ids as if the piece had been converted alone, answer headings scoped by
--   entry ("<entry id>--formulas") and pushed two levels down; an answer heading
--   keeps its label only when a link of its entry points at it (labels cost typst
--   time and mean nothing on paper otherwise);
-- * pictures (also <img> tags) resolved against the entry's folder, links to other
--   entries turned into jumps inside the PDF, other links to text only;
-- * formulas whose typst pandoc writes with names typst no longer knows (`\cap` and
--   `\Cap` as `sect`, `\oplus` as `plus.circle`, `\llbracket`, `\lBrace`, `vmatrix`)
--   written with today's;
-- * <br> a line break (a single newline joins lines, as CommonMark says); inline
--   <sub>, <sup>, <b>, <i> and kin set as what they mean (typst drops raw HTML, so
--   P<sub>n</sub> = a<sup>n</sup> printed "Pn = an");
--   table columns without an alignment left-aligned; a figure whose picture was left
--   out is left out with its caption.
--
-- Picture and link decisions here are guesses from the path alone: kbtool checks
-- each against the file system afterwards (symlinks, file types, damaged pictures)
-- and converts a piece again, with its decisions given as overrides, when a guess
-- was wrong. Facts (JSON) come first in the input, in an HTML comment
-- `<!-- kbtool-facts {...} -->`. The output is each piece's typst, a split line after
-- each, then a manifest line: for each piece its labels and picture and link decisions.

local MANIFEST = "// kbtool-manifest "
local SHEET = { ["kb-entry"] = true, ["kb-topic"] = true, ["kb-drafts-topic"] = true }

local facts
local base

local function set_of(list)
  local out = {}
  for _, item in ipairs(list or {}) do
    out[item] = true
  end
  return out
end

local function is_piece(classes)
  return classes:includes("kb-entry") or classes:includes("kb-topic")
end

local function is_sheet(classes)
  for _, class in ipairs(classes) do
    if SHEET[class] then
      return true
    end
  end
  return false
end

local function unquote(text)
  return (text:gsub("%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

-- scheme, netloc, path and fragment, as Python's urllib.parse.urlsplit cuts them
local function urlsplit(url)
  local scheme, rest = "", url
  local colon = url:find(":", 1, true)
  if colon and colon > 1 and url:sub(1, colon - 1):match("^%a[%w+.-]*$") then
    scheme, rest = url:sub(1, colon - 1):lower(), url:sub(colon + 1)
  end
  local netloc = ""
  if rest:sub(1, 2) == "//" then
    local stop = rest:find("[/?#]", 3) or (#rest + 1)
    netloc, rest = rest:sub(3, stop - 1), rest:sub(stop)
  end
  local fragment = ""
  local hash = rest:find("#", 1, true)
  if hash then
    fragment, rest = rest:sub(hash + 1), rest:sub(1, hash - 1)
  end
  local query = rest:find("?", 1, true)
  if query then
    rest = rest:sub(1, query - 1)
  end
  return scheme, netloc, rest, fragment
end

-- an absolute path with "." and ".." taken out (no file system access)
local function normalize(path)
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return "/" .. table.concat(parts, "/")
end

local function exists(path)
  local file = io.open(path, "rb")
  if file then
    file:close()
    return true
  end
  return false
end

local function image_target(src, folder)
  local scheme, netloc, path = urlsplit(src)
  if scheme ~= "" or netloc ~= "" then
    return ""
  end
  local raw = unquote(path)
  if raw:sub(1, 1) == "/" or raw:match("^%a:[\\/]") then
    return ""
  end
  local target = normalize(folder .. "/" .. raw)
  if target:sub(1, #base + 1) ~= base .. "/" then
    return ""
  end
  local suffix = (target:match("[^/](%.[^./]*)$") or ""):lower()
  if not facts.image_types[suffix] or not exists(target) then
    return ""
  end
  return target:sub(#base + 1)
end

local function link_target(url, piece)
  local scheme, netloc, path, fragment = urlsplit(url)
  if scheme ~= "" or netloc ~= "" then
    return facts.schemes[scheme] and url or ""
  end
  if path == "" then
    fragment = unquote(fragment)
    if piece.entry and piece.ids[piece.entry .. "--" .. fragment] then
      return "#" .. piece.entry .. "--" .. fragment
    end
    if piece.ids[fragment] or facts.labels[fragment] then
      return url
    end
    return ""
  end
  local target = facts.files[normalize(piece.folder .. "/" .. unquote(path))]
  return target and ("#" .. target) or ""
end

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }

local function unescape(text)
  return (text:gsub("&(#?[%w]+);", function(name)
    local code = name:match("^#[xX](%x+)$")
    code = code and tonumber(code, 16) or tonumber(name:match("^#(%d+)$") or "")
    if code then
      return utf8.char(code)
    end
    return ENTITIES[name:lower()]
  end))
end

-- src of raw HTML that is one <img> tag, else nil
local function img_src(raw)
  local tag = raw:match("^%s*(.-)%s*$")
  if not tag:lower():match("^<img[%s/>]") or select(2, tag:gsub("<", "")) ~= 1 then
    return nil
  end
  local _, stop = tag:lower():find("[%s/]src%s*=%s*")
  if not stop then
    return nil
  end
  local value = tag:sub(stop + 1)
  local src = value:match('^"([^"]*)"') or value:match("^'([^']*)'") or value:match("^([^%s>\"']+)")
  if not src or src == "" then
    return nil
  end
  return unescape(src)
end

-- Inline HTML tags that say what their text is: typst drops raw HTML, and the text
-- alone can mean another thing (a<sup>n</sup> read "an").
local MARKS = {
  sub = pandoc.Subscript, sup = pandoc.Superscript, b = pandoc.Strong,
  strong = pandoc.Strong, i = pandoc.Emph, em = pandoc.Emph, u = pandoc.Underline,
  ins = pandoc.Underline, s = pandoc.Strikeout, del = pandoc.Strikeout,
}

local function html_tag(inline)
  if inline.t ~= "RawInline" or inline.format ~= "html" then
    return nil
  end
  local close, name = inline.text:lower():match("^<(/?)(%a+)%s*>$")
  if name and MARKS[name] then
    return name, close == "/"
  end
end

-- `inlines` with each <tag>…</tag> of MARKS replaced by its element; a tag left open
-- or never opened stays raw (typst drops it), as before.
local function html_marks(inlines)
  local out, index = pandoc.Inlines({}), 1
  while index <= #inlines do
    local name, closing = html_tag(inlines[index])
    local stop, depth = nil, 0
    if name and not closing then
      for later = index + 1, #inlines do
        local other, shut = html_tag(inlines[later])
        if other == name then
          depth = depth + (shut and -1 or 1)
          if depth < 0 then
            stop = later
            break
          end
        end
      end
    end
    if stop then
      local inside = pandoc.Inlines({ table.unpack(inlines, index + 1, stop - 1) })
      out:insert(MARKS[name](html_marks(inside)))
      index = stop + 1
    else
      out:insert(inlines[index])
      index = index + 1
    end
  end
  return out
end

local function has_image(block)
  local found = false
  block:walk({
    Image = function()
      found = true
    end,
  })
  return found
end

-- Formulas pandoc's typst writer (texmath) still writes with names typst 0.14 removed:
-- the whole sheet would fail to compile on one `\cap`. Only formulas holding one of
-- these TeX names are written here, by pandoc's own writer, then renamed.
local OLD_NAMES = { -- parts of TeX names: \cap, \bigcap, \sqcap, \Cap; \oplus, \bigoplus ...
  "cap", "Cap", "oplus", "otimes", "odot", "ominus", "oslash", "oast", "ocirc", "circled",
  "llbracket", "rrbracket", "lBrace", "rBrace", "vmatrix", "Vmatrix",
}

local function has_old_name(tex)
  for _, name in ipairs(OLD_NAMES) do
    if tex:find(name, 1, true) then
      return true
    end
  end
  return false
end

-- typst math code with today's names, strings ("...") left as they are
local function renamed(code)
  local out, pos = {}, 1
  while pos <= #code do
    local quote = code:find('"', pos, true)
    local part = code:sub(pos, (quote or (#code + 1)) - 1)
    part = part:gsub("%f[%w.]sect%f[^%w]", "inter")
    part = part:gsub("(%a+)%.circle%f[^%w]", "%1.o")
    part = part:gsub("(bracket%.[lr])%.double", "%1.stroked") -- \llbracket
    part = part:gsub("(brace%.[lr])%.double", "%1.stroked") -- \lBrace
    out[#out + 1] = part
    if not quote then
      break
    end
    local close = code:find('"', quote + 1, true)
    while close and code:sub(close - 1, close - 1) == "\\" do
      close = code:find('"', close + 1, true)
    end
    close = close or #code
    local text = code:sub(quote, close)
    out[#out + 1] = text == '"||"' and "bar.double" or text -- Vmatrix's delimiter
    pos = close + 1
  end
  return table.concat(out)
end

local function math_today(math)
  if not has_old_name(math.text) then
    return nil
  end
  math.text = math.text -- vmatrix as pandoc reads \left| matrix \right|: delimiter "|"
    :gsub("\\begin{vmatrix}", "\\left|\\begin{matrix}")
    :gsub("\\end{vmatrix}", "\\end{matrix}\\right|")
  local code = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ math }) }), "typst")
  return pandoc.RawInline("typst", renamed((code:gsub("%s+$", ""))))
end

-- pandoc writes `**it**.In turn` as `#strong[it].In turn`, which typst reads as the
-- field `In` of the strong text and refuses; a `;` after the call ends it there and
-- prints nothing. These are the elements it writes as such calls. Only pieces whose
-- Markdown may hold one followed by ".letter" are walked (kbtool flags them: walking
-- every piece's inlines costs pandoc a sixth more). A letter is any of typst's: a byte
-- of 128 or more starts a letter beyond ASCII (`**步骤 2**.现在` was refused too), and
-- a `;` before other characters is as harmless.
local CALLS = {
  Strong = true, Emph = true, Link = true, Strikeout = true, Underline = true,
  SmallCaps = true, Superscript = true, Subscript = true, Note = true, Image = true,
}

local function ended(inlines)
  local changed = false
  for index = #inlines - 1, 1, -1 do
    local next_ = inlines[index + 1]
    if CALLS[inlines[index].t] and next_.t == "Str" and next_.text:match("^%.[%a_\128-\255]") then
      inlines:insert(index + 1, pandoc.RawInline("typst", ";"))
      changed = true
    end
  end
  return changed and inlines or nil
end

-- ids as if the piece were converted alone (pandoc numbers them over its whole
-- input: "formulas", "formulas-1", ...), then scoped by entry; an answer heading
-- must not take an entry's id. Read only: the headings are changed once, by `clean`,
-- which meets them in the same order (changing an element costs pandoc its
-- conversion back; a second pass that did cost a twelfth of the run). Returns the id
-- of each heading in walk order, false for a heading that keeps its own.
local function number_ids(piece, blocks, used)
  local mine, ids = {}, {}
  blocks:walk({
    Header = function(header)
      local ident = header.identifier
      if ident == "" or is_sheet(header.classes) then
        if ident ~= "" then
          used[ident] = true
          piece.sheet[ident] = true
          piece.ids[ident] = true
        end
        ids[#ids + 1] = false
        return nil
      end
      local stem = ident:match("^(.+)%-%d+$")
      local wanted = (stem and used[stem]) and stem or ident
      used[ident] = true
      local id, n = wanted, 0
      while mine[id] do
        n = n + 1
        id = wanted .. "-" .. n
      end
      mine[id] = true
      if piece.entry then
        id = piece.entry .. "--" .. id
      end
      if facts.reserved[id] then
        id = id .. "-section"
      end
      piece.ids[id] = true
      ids[#ids + 1] = id
      return nil
    end,
  })
  return ids
end

-- The text of an HTML block (a `<br />` line with a paragraph under it, a `<div>`):
-- typst's writer drops raw HTML, so the PDF lost what every other export shows. It is
-- read as HTML (pandoc's reader drops scripts and styles, and reads Markdown there as
-- text, as CommonMark does) into plain blocks: no ids (an answer's `<div id>` must not
-- become a label of the sheet), headings as bold lines (the sheet's own headings are
-- counted), no inline SVG or data: picture. A block of tags and comments alone stays out.
local blank = { LineBreak = true, SoftBreak = true, Space = true }

local function html_blocks(text)
  local bare = text:gsub("<!%-%-.-%-%->", ""):gsub("<[^>]*>", "")
  if not bare:match("%S") then
    return nil
  end
  -- sandboxed with no file ({}): the HTML reader fetches an <iframe>'s src (network
  -- included), and --sandbox does not bound what a filter reads
  local ok, read = pcall(pandoc.read, text, "html", nil, {})
  if not ok then
    return nil
  end
  local function trimmed(block) -- `<br />` before a paragraph is spacing, not a blank line
    local inlines, changed = block.content, false
    for _, at in ipairs({ 1, -1 }) do
      while #inlines > 0 and blank[inlines[at > 0 and 1 or #inlines].t] do
        inlines:remove(at > 0 and 1 or #inlines)
        changed = true
      end
    end
    if #inlines == 0 then
      return {}
    end
    if changed then
      block.content = inlines
      return block
    end
  end
  local function plain(element)
    if element.identifier ~= "" then
      element.identifier = ""
      return element
    end
  end
  local blocks = read.blocks:walk({
    Plain = trimmed,
    Para = trimmed,
    Div = function(div)
      return div.content
    end,
    Span = function(span)
      return span.content
    end,
    Header = function(header)
      return pandoc.Para({ pandoc.Strong(header.content) })
    end,
    Image = function(image)
      if image.src:lower():match("^data:") then
        return {}
      end
      return plain(image)
    end,
    Link = plain,
    Code = plain,
    CodeBlock = plain,
    Table = plain,
    Figure = plain,
  })
  for index, block in ipairs(blocks) do -- text beside a tag is a paragraph of its own
    if block.t == "Plain" then
      blocks[index] = pandoc.Para(block.content)
    end
  end
  return blocks
end

-- typst reads a code block's language as a name (letters, digits, `_`, `-`) and prints
-- the rest of the tag as the block's first line: ```` ```c++ ```` printed "++" above
-- the code, `c#` a "#", `vue.js` a ".js". Such tags get their usual name or the name
-- they start with; a tag with none is dropped (the code prints plain).
local LANGS = { ["c++"] = "cpp", ["c#"] = "csharp", ["f#"] = "fsharp" }

local function code_lang(code)
  local lang = code.classes[1]
  if lang == nil or lang:match("^[%a_][%w_%-]*$") then
    return nil
  end
  local named = LANGS[lang:lower()] or lang:match("^[%a_][%w_%-]*")
  if named then
    code.classes[1] = named
  else
    code.classes:remove(1)
  end
  return code
end

local function clean(piece, blocks, override, ids)
  local images, links, targeted = {}, {}, {}
  local heading = 0 -- headings met so far: the index into `ids`

  local function picture(src)
    local target = override.images[src]
    if target == nil then
      target = image_target(src, piece.folder)
    end
    images[#images + 1] = { src, target }
    return target
  end

  local filter
  filter = {
    Image = function(image)
      local target = picture(image.src)
      if target == "" then
        return pandoc.Span({})
      end
      image.src = target
      return image
    end,
    Link = function(link)
      local url = link.target
      local target = override.links[url]
      if target == nil then
        target = link_target(url, piece)
      end
      links[#links + 1] = { url, target }
      if target == "" then
        return pandoc.Span(link.content)
      end
      if target:sub(1, 1) == "#" then
        targeted[unquote(target:sub(2))] = true
      end
      link.target = target
      return link
    end,
    RawInline = function(raw)
      if raw.format ~= "html" then
        return nil
      end
      if raw.text:lower():match("^<br%s*/?>$") then
        return pandoc.LineBreak()
      end
      local src = img_src(raw.text)
      if not src then
        return nil
      end
      local target = picture(src)
      if target == "" then
        return pandoc.Span({})
      end
      return pandoc.Image({}, target)
    end,
    Header = function(header)
      heading = heading + 1
      if is_sheet(header.classes) then
        return nil
      end
      local id = ids[heading]
      header.level = math.min(header.level + 2, 6)
      header.identifier = (id and targeted[id]) and id or ""
      return header
    end,
    RawBlock = function(raw)
      if raw.format ~= "html" then
        return nil
      end
      local src = img_src(raw.text)
      if not src then
        local read = html_blocks(raw.text)
        return read and read:walk(filter)
      end
      local target = picture(src)
      if target == "" then
        return {}
      end
      return pandoc.Para({ pandoc.Image({}, target) })
    end,
    Table = function(table_)
      local changed = false
      for index, spec in ipairs(table_.colspecs) do
        if spec[1] == "AlignDefault" then
          spec[1] = "AlignLeft"
          table_.colspecs[index] = spec
          changed = true
        end
      end
      return changed and table_ or nil
    end,
    Figure = function(figure)
      if not has_image(figure) then
        return {}
      end
    end,
    Math = math_today,
    CodeBlock = code_lang,
  }
  blocks = blocks:walk(filter)
  local ids = {} -- the labels typst will see: the sheet's, and answer headings linked to
  for id in pairs(piece.ids) do
    if piece.sheet[id] or targeted[id] then
      ids[#ids + 1] = id
    end
  end
  table.sort(ids)
  return blocks, { ids = ids, images = images, links = links }
end

function Pandoc(doc)
  local first = doc.blocks[1]
  local given = first and first.t == "RawBlock" and first.text:match("^<!%-%- kbtool%-facts (.*) %-%->%s*$")
  assert(given, "the input does not start with kbtool's facts")
  doc.blocks:remove(1)
  facts = pandoc.json.decode(given, false)
  base = facts.base
  facts.image_types = set_of(facts.image_types)
  facts.schemes = set_of(facts.schemes)
  facts.labels = set_of(facts.labels)
  facts.reserved = set_of(facts.reserved)

  local groups = {} -- a piece starts at each entry's or topic's heading
  for _, block in ipairs(doc.blocks) do
    if #groups == 0 or (block.t == "Header" and is_piece(block.classes)) then
      groups[#groups + 1] = pandoc.Blocks({})
    end
    groups[#groups]:insert(block)
  end

  local out, manifest, used = pandoc.Blocks({}), {}, {}
  for index, blocks in ipairs(groups) do
    local piece = { ids = {}, sheet = {}, folder = base }
    local first = blocks[1]
    if first and first.t == "Header" and first.classes:includes("kb-entry") then
      local entry = facts.entries[first.identifier]
      if entry then
        piece.entry, piece.folder = first.identifier, entry[1]
      end
    end
    local override = (facts.overrides or {})[tostring(index - 1)] or {}
    override = { images = override.images or {}, links = override.links or {} }
    local ids = number_ids(piece, blocks, used)
    local record
    blocks, record = clean(piece, blocks, override, ids)
    if (facts.dotted or {})[tostring(index - 1)] then
      blocks = blocks:walk({ Inlines = ended })
    end
    if (facts.marked or {})[tostring(index - 1)] then
      blocks = blocks:walk({ Inlines = html_marks })
    end
    out:extend(blocks)
    out:insert(pandoc.RawBlock("typst", facts.split))
    manifest[#manifest + 1] = record
  end
  out:insert(pandoc.RawBlock("typst", MANIFEST .. pandoc.json.encode(manifest)))
  return pandoc.Pandoc(out, doc.meta)
end
