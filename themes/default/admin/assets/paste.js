// Pasting rich text into the Markdown body: when the clipboard holds HTML
// (copied from Word, LibreOffice or a web page), it is turned into the
// column's Markdown — headings, bold, italic, lists (nested, and Word's own
// list paragraphs), tables, links — and inserted at the cursor. Without this
// script (or with a plain-text clipboard) the browser pastes plain text, as
// before. The HTML is parsed by DOMParser into an inert document: nothing
// in it runs or loads. No other script is involved.
(function () {
  "use strict";
  var area = document.getElementById("f-body");
  if (!area || !window.DOMParser) {
    return;
  }

  var skip = { SCRIPT: 1, STYLE: 1, META: 1, TITLE: 1, LINK: 1, HEAD: 1, IMG: 1, svg: 1, TEMPLATE: 1 };

  function escapeText(s) {
    return s.replace(/([\\`*_\[\]])/g, "\\$1");
  }

  function styleOf(el) {
    return (el.getAttribute && el.getAttribute("style")) || "";
  }

  function isBold(el) {
    return el.tagName === "B" || el.tagName === "STRONG" || /font-weight:\s*(bold|[6-9]00)/i.test(styleOf(el));
  }

  function isItalic(el) {
    return el.tagName === "I" || el.tagName === "EM" || /font-style:\s*italic/i.test(styleOf(el));
  }

  // inline writes the text of node's children as Markdown on one line
  // (hard breaks aside); plain leaves emphasis out (in a heading).
  function inline(node, plain) {
    return inlineList(node.childNodes, plain);
  }

  function inlineList(nodes, plain) {
    var out = "";
    Array.prototype.forEach.call(nodes, function (n) {
      if (n.nodeType === 3) {
        out += escapeText(n.nodeValue.replace(/\s+/g, " "));
        return;
      }
      if (n.nodeType !== 1 || skip[n.tagName] || /mso-list:\s*Ignore/i.test(styleOf(n))) {
        return;
      }
      if (n.tagName === "BR") {
        out += "\\\n";
        return;
      }
      var inner = inline(n, plain);
      if (n.tagName === "A") {
        var href = n.getAttribute("href") || "";
        if (/^(https?:|mailto:)/i.test(href) && inner.trim() !== "") {
          out += "[" + inner.trim() + "](" + href.replace(/[ ()<>]/g, encodeURIComponent) + ")";
          return;
        }
      }
      var core = inner.trim();
      if (core !== "" && !plain && (isBold(n) || isItalic(n))) {
        var mark = (isBold(n) ? "**" : "") + (isItalic(n) ? "*" : "");
        var lead = inner.match(/^\s*/)[0], trail = inner.match(/\s*$/)[0];
        out += lead + mark + core + mark.split("").reverse().join("") + trail;
        return;
      }
      out += inner;
    });
    return out;
  }

  function line(s) {
    return s.replace(/[ \t]+/g, " ").replace(/ ?\\\n ?/g, "\\\n").trim();
  }

  // wordList reads a Word list paragraph (mso-list in its style): its
  // level, and whether its marker is a number.
  function wordList(el) {
    var m = /mso-list:[^;"]*level(\d)/i.exec(styleOf(el));
    if (!m) {
      return null;
    }
    var marker = "";
    el.querySelectorAll("span").forEach(function (s) {
      if (!marker && /mso-list:\s*Ignore/i.test(styleOf(s))) {
        marker = s.textContent.trim();
      }
    });
    return { level: parseInt(m[1], 10) - 1, ordered: /^\d+[.)]$/.test(marker) };
  }

  function list(el, depth) {
    var out = [];
    var n = 1;
    var start = parseInt(el.getAttribute("start") || "1", 10);
    if (!isNaN(start)) {
      n = start;
    }
    el.childNodes.forEach(function (li) {
      if (li.nodeType !== 1 || li.tagName !== "LI") {
        return;
      }
      var marker = el.tagName === "OL" ? n++ + ". " : "- ";
      var pad = new Array(marker.length + 1).join(" ");
      var text = "";
      var nested = [];
      li.childNodes.forEach(function (c) {
        if (c.nodeType === 1 && (c.tagName === "UL" || c.tagName === "OL")) {
          nested.push(list(c, depth + 1));
        } else {
          text += " " + inlineList([c]);
        }
      });
      out.push(marker + line(text));
      nested.forEach(function (sub) {
        out.push(sub.split("\n").map(function (l) { return l === "" ? l : pad + l; }).join("\n"));
      });
    });
    return out.join("\n");
  }

  function table(el) {
    var rows = [];
    el.querySelectorAll("tr").forEach(function (tr) {
      var cells = [];
      tr.querySelectorAll("th, td").forEach(function (td) {
        var t = line(inline(td).replace(/\\\n/g, " ")).replace(/\|/g, "\\|");
        cells.push(t);
        var span = parseInt(td.getAttribute("colspan") || "1", 10);
        for (var i = 1; i < span && i < 64; i++) {
          cells.push("");
        }
      });
      if (cells.length) {
        rows.push(cells);
      }
    });
    if (!rows.length) {
      return "";
    }
    var width = 0;
    rows.forEach(function (r) { width = Math.max(width, r.length); });
    var out = rows.map(function (r) {
      while (r.length < width) {
        r.push("");
      }
      return "| " + r.join(" | ") + " |";
    });
    var sep = [];
    for (var i = 0; i < width; i++) {
      sep.push("---");
    }
    out.splice(1, 0, "| " + sep.join(" | ") + " |");
    return out.join("\n");
  }

  // blocks writes node's children as Markdown blocks, one blank line
  // apart (list items of Word's list paragraphs one line apart).
  function blocks(node) {
    var out = [];
    var loose = "";
    var counters = [];
    function flush() {
      var t = line(loose);
      if (t) {
        out.push({ text: t });
      }
      loose = "";
    }
    node.childNodes.forEach(function (n) {
      if (n.nodeType === 3) {
        loose += n.nodeValue;
        return;
      }
      if (n.nodeType !== 1 || skip[n.tagName]) {
        return;
      }
      var tag = n.tagName;
      var h = /^H([1-6])$/.exec(tag);
      if (h) {
        flush();
        var t = line(inline(n, true).replace(/\\\n/g, " "));
        if (t) {
          out.push({ text: new Array(parseInt(h[1], 10) + 1).join("#") + " " + t });
        }
      } else if (tag === "P") {
        flush();
        var wl = wordList(n);
        var text = line(inline(n));
        if (!text) {
          return;
        }
        if (wl) {
          counters.length = wl.level + 1;
          counters[wl.level] = (counters[wl.level] || 0) + 1;
          var marker = wl.ordered ? counters[wl.level] + ". " : "- ";
          out.push({ text: new Array(wl.level * 3 + 1).join(" ") + marker + text, item: true });
          return;
        }
        counters = [];
        out.push({ text: text });
      } else if (tag === "UL" || tag === "OL") {
        flush();
        out.push({ text: list(n, 0) });
      } else if (tag === "TABLE") {
        flush();
        var tb = table(n);
        if (tb) {
          out.push({ text: tb });
        }
      } else if (tag === "BLOCKQUOTE") {
        flush();
        out.push({ text: blocks(n).split("\n").map(function (l) { return "> " + l; }).join("\n") });
      } else if (tag === "PRE") {
        flush();
        out.push({ text: "```\n" + n.textContent.replace(/\n$/, "") + "\n```" });
      } else if (tag === "HR") {
        flush();
        out.push({ text: "---" });
      } else if (/^(DIV|SECTION|ARTICLE|MAIN|BODY|HTML|CENTER|HEADER|FOOTER)$/.test(tag)) {
        flush();
        var inner = blocks(n);
        if (inner) {
          out.push({ text: inner });
        }
      } else {
        loose += inlineList([n]);
      }
    });
    flush();
    var s = "";
    out.forEach(function (b, i) {
      if (i > 0) {
        s += b.item && out[i - 1].item ? "\n" : "\n\n";
      }
      s += b.text;
    });
    return s;
  }

  area.addEventListener("paste", function (ev) {
    var dt = ev.clipboardData;
    var html = dt && dt.getData("text/html");
    if (!html) {
      return;
    }
    var doc = new DOMParser().parseFromString(html, "text/html");
    var md = blocks(doc.body).replace(/\n{3,}/g, "\n\n").trim();
    if (!md) {
      return;
    }
    ev.preventDefault();
    area.focus();
    // insertText keeps the browser's undo; where it is missing the value
    // is spliced by hand.
    if (!document.execCommand || !document.execCommand("insertText", false, md)) {
      var s = area.selectionStart, e = area.selectionEnd, v = area.value;
      area.value = v.slice(0, s) + md + v.slice(e);
      area.selectionStart = area.selectionEnd = s + md.length;
    }
  });
})();
