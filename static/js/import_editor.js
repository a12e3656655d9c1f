/* The import draft's correction editor (vanilla JS, no build step).
 *
 * The draft lives on the server: the editor GETs /imports/<id>/draft.json, changes it in
 * memory and POSTs the whole of it back after every edit. The server validates it and
 * answers 400 with a Chinese message naming the node ("第1个计划 › 第2项 › 第1项：…"),
 * which is shown at the top and on that node; nothing is saved then. Every control is a
 * real button or input (keyboard and screen readers work), and a node also takes
 * Alt+↑/↓ (move), Alt+→/← (indent/outdent).
 */
(function () {
  "use strict";

  var COMPARATORS = [["eq", "等于"], ["gte", "不少于"], ["lte", "不超过"], ["gt", "超过"], ["lt", "少于"], ["approx", "约"]];

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // --- Parsing progress (a draft parsed by a job) ------------------------------------------
  function pollProgress(status) {
    var bar = document.getElementById("parse-progress");
    fetch(status.dataset.jsonUrl, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 202) {
        return response.json().then(function (data) {
          bar.value = data.progress;
          setTimeout(function () { pollProgress(status); }, 1000);
        });
      }
      window.location.reload();
    });
  }

  // --- The editor ------------------------------------------------------------------------
  function Editor(root) {
    this.root = root;
    this.url = root.dataset.jsonUrl;
    this.status = document.getElementById("editor-status");
    this.source = document.getElementById("draft-source");
    this.sourceText = this.source ? this.source.textContent : "";
    this.leadMap = document.getElementById("lead-map");
    this.undoStack = [];
    this.current = null; // [planIndex, path...] of the focused node
    this.focusKey = null;
  }

  Editor.prototype.load = function () {
    var self = this;
    fetch(this.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      self.data = data;
      self.data.lead_departments = self.data.lead_departments || {};
      self.render();
      self.addSourceTools();
    });
  };

  Editor.prototype.say = function (message, isError) {
    this.status.textContent = message;
    this.status.className = "editor-status" + (isError ? " error" : "");
    this.status.setAttribute("role", isError ? "alert" : "status");
  };

  Editor.prototype.change = function (mutate, focusKey) {
    this.undoStack.push(JSON.stringify(this.data));
    mutate();
    this.focusKey = focusKey || null;
    this.render();
    this.save();
  };

  // A field edit: the tree stays as it is (focus and Tab order too); only the lead list and
  // the source highlights, which depend on the fields, are redrawn.
  Editor.prototype.edit = function (mutate) {
    this.undoStack.push(JSON.stringify(this.data));
    mutate();
    this.renderLeads();
    this.renderSource();
    this.save();
  };

  Editor.prototype.undo = function () {
    if (!this.undoStack.length) return;
    this.data = JSON.parse(this.undoStack.pop());
    this.render();
    this.save();
  };

  // One save at a time, the latest state last: a second edit during a save is sent after it,
  // so the server never ends with an older state than the page shows.
  Editor.prototype.save = function () {
    var self = this;
    if (this.saving) { this.pending = true; return; }
    this.saving = true;
    this.pending = false;
    this.say("正在保存…");
    this.root.querySelectorAll(".node-invalid").forEach(function (n) { n.classList.remove("node-invalid"); });
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(this.data),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) self.say("已保存");
        else { self.say(body.error || "保存失败", true); self.markInvalid(body.error || ""); }
      });
    }).catch(function () { self.say("网络错误，未保存", true); }).then(function () {
      self.saving = false;
      if (self.pending) self.save();
      else self.root.dataset.saved = String(Date.now());
    });
  };

  // "第1个计划 › 第2项 › 第1项：…" → the node's row, marked.
  Editor.prototype.markInvalid = function (message) {
    var parts = message.split("：")[0].split(" › ");
    var plan = /第(\d+)个计划/.exec(parts[0] || "");
    if (!plan) return;
    var key = [Number(plan[1]) - 1];
    for (var i = 1; i < parts.length; i++) {
      var item = /^第(\d+)项$/.exec(parts[i]);
      if (item) key.push(Number(item[1]) - 1);
    }
    var row = this.root.querySelector('[data-key="' + key.join(".") + '"]');
    if (row) row.classList.add("node-invalid");
  };

  // Siblings list and index of the node at key [plan, i, j, ...].
  Editor.prototype.locate = function (key) {
    var list = this.data.plans[key[0]].nodes;
    for (var d = 1; d < key.length - 1; d++) list = list[key[d]].children;
    return { list: list, index: key[key.length - 1] };
  };
  Editor.prototype.nodeAt = function (key) {
    var at = this.locate(key);
    return at.list[at.index];
  };

  Editor.prototype.move = function (key, delta) {
    var at = this.locate(key), to = at.index + delta;
    if (to < 0 || to >= at.list.length) return;
    var next = key.slice(0, -1).concat([to]);
    this.change(function () { at.list.splice(to, 0, at.list.splice(at.index, 1)[0]); }, next.join("."));
  };

  Editor.prototype.indent = function (key) {
    var at = this.locate(key);
    if (at.index === 0) return this.say("第一项不能降级：上面没有可以归入的项", true);
    var previous = at.list[at.index - 1];
    var next = key.slice(0, -1).concat([at.index - 1, (previous.children || []).length]);
    this.change(function () {
      previous.children = previous.children || [];
      previous.children.push(at.list.splice(at.index, 1)[0]);
    }, next.join("."));
  };

  Editor.prototype.outdent = function (key) {
    if (key.length < 3) return this.say("已经是最上一级", true);
    var at = this.locate(key), parentKey = key.slice(0, -1), parentAt = this.locate(parentKey);
    var next = parentKey.slice(0, -1).concat([parentAt.index + 1]);
    this.change(function () {
      var node = at.list.splice(at.index, 1)[0];
      // The siblings after it become its children, so the document order stays.
      node.children = (node.children || []).concat(at.list.splice(at.index));
      parentAt.list.splice(parentAt.index + 1, 0, node);
    }, next.join("."));
  };

  Editor.prototype.mergeUp = function (key) {
    var at = this.locate(key);
    if (at.index === 0) return this.say("第一项没有可以合并的上一项", true);
    var previous = at.list[at.index - 1];
    this.change(function () {
      var node = at.list.splice(at.index, 1)[0];
      previous.text = [previous.text, node.title + (node.text ? "：" + node.text : "")].filter(Boolean).join("\n");
      previous.indicators = (previous.indicators || []).concat(node.indicators || []);
      previous.children = (previous.children || []).concat(node.children || []);
    }, key.slice(0, -1).concat([at.index - 1]).join("."));
  };

  Editor.prototype.split = function (key, textarea) {
    var at = this.locate(key), node = at.list[at.index];
    var text = node.text || "";
    var cut = textarea && textarea.selectionStart > 0 ? textarea.selectionStart : text.indexOf("。") + 1;
    if (cut <= 0 || cut >= text.length) return this.say("请在“内容”中把光标放在要拆开的位置，再点“拆分”", true);
    var rest = text.slice(cut).trim();
    this.change(function () {
      node.text = text.slice(0, cut).trim();
      var moved = (node.indicators || []).filter(function (i) { return rest.indexOf(i.text) !== -1 && node.text.indexOf(i.text) === -1; });
      node.indicators = (node.indicators || []).filter(function (i) { return moved.indexOf(i) === -1; });
      at.list.splice(at.index + 1, 0, {
        number: "", title: rest.split(/[。；;，,]/)[0].slice(0, 40) || "新任务", text: rest,
        lead: node.lead || "", partners: [], due: node.due || null, due_text: node.due_text || "",
        indicators: moved, children: [],
      });
    }, key.slice(0, -1).concat([at.index + 1]).join("."));
  };

  Editor.prototype.remove = function (key) {
    var at = this.locate(key);
    this.change(function () { at.list.splice(at.index, 1); });
    this.say("已删除（可撤销）");
  };

  // --- Rendering -------------------------------------------------------------------------
  Editor.prototype.render = function () {
    var self = this;
    this.root.textContent = "";
    this.root.appendChild(el("div", { class: "editor-toolbar" }, [
      el("button", { type: "button", onclick: function () { self.undo(); }, text: "撤销" }),
      el("span", { class: "hint", text: "快捷键：Alt+↑/↓ 移动，Alt+→ 降级，Alt+← 升级" }),
    ]));
    this.data.plans.forEach(function (plan, p) {
      self.root.appendChild(el("h3", { text: (plan.title || "（无标题）") + (plan.is_review ? "（工作回顾）" : "") }));
      self.root.appendChild(self.renderList(plan.nodes, [p]));
    });
    this.renderLeads();
    this.renderSource();
    if (this.focusKey) {
      var row = this.root.querySelector('[data-key="' + this.focusKey + '"] .node-title-input');
      if (row) row.focus();
    }
  };

  Editor.prototype.renderList = function (nodes, key) {
    var self = this;
    var list = el("ol", { class: "draft-tree", role: key.length === 1 ? "tree" : "group" });
    nodes.forEach(function (node, i) { list.appendChild(self.renderNode(node, key.concat([i]))); });
    return list;
  };

  Editor.prototype.renderNode = function (node, key) {
    var self = this, k = key.join(".");
    var label = (node.number + " " + node.title).trim();
    function field(name, value, attrs) {
      return el("input", Object.assign({
        value: value || "", "aria-label": attrs.label + "：" + label,
        onchange: function (e) { var v = e.target.value; self.edit(function () { attrs.set(v); }); },
      }, attrs.extra || {}));
    }
    var textarea = el("textarea", {
      class: "node-text", rows: 3, "aria-label": "内容：" + label,
      onchange: function (e) { var v = e.target.value; self.edit(function () { node.text = v; }); },
    });
    textarea.value = node.text || "";
    var details = el("details", { class: "node-details" }, [el("summary", { text: "内容" }), textarea]);
    var chips = el("div", { class: "chips" }, (node.indicators || []).map(function (ind, n) {
      return self.renderChip(node, ind, n, k, label);
    }));
    var b = function (text, title, action) {
      return el("button", { type: "button", title: title, "aria-label": title + "：" + label, onclick: action, text: text });
    };
    var tools = el("div", { class: "node-tools" }, [
      b("↑", "上移", function () { self.move(key, -1); }),
      b("↓", "下移", function () { self.move(key, 1); }),
      b("←", "升级", function () { self.outdent(key); }),
      b("→", "降级", function () { self.indent(key); }),
      b("合并", "与上一项合并", function () { self.mergeUp(key); }),
      b("拆分", "拆分", function () { self.split(key, textarea); }),
      b(node.not_task ? "是任务" : "不是任务", node.not_task ? "恢复为任务" : "标记为不是任务", function () {
        self.change(function () { if (node.not_task) delete node.not_task; else node.not_task = true; }, k);
      }),
      b("删除", "删除", function () { self.remove(key); }),
    ]);
    var row = el("div", { class: "node-row" }, [
      field("number", node.number, { label: "编号", set: function (v) { node.number = v; }, extra: { class: "node-number-input", size: 4 } }),
      field("title", node.title, { label: "标题", set: function (v) { node.title = v; }, extra: { class: "node-title-input" } }),
      el("div", { class: "node-meta" }, [
        el("label", {}, [document.createTextNode("牵头 "), field("lead", node.lead, { label: "牵头单位", set: function (v) { node.lead = v; }, extra: { class: "node-lead-input", list: "lead-names" } })]),
        el("label", {}, [document.createTextNode("时限 "), field("due", node.due, { label: "完成时限", set: function (v) { node.due = v || null; }, extra: { type: "date", class: "node-due-input" } })]),
      ]),
      chips, details, tools,
    ]);
    var item = el("li", {
      class: "node" + (node.not_task ? " not-task" : ""), role: "treeitem", "data-key": k,
      "aria-label": label + (node.not_task ? "（不是任务）" : ""),
    }, [row]);
    item.addEventListener("focusin", function (e) {
      if (e.target.closest("li.node") !== item) return; // bubbled up from a child node
      self.current = key;
      self.markCurrent(k);
    });
    item.addEventListener("keydown", function (e) {
      if (!e.altKey || e.target.closest("li.node") !== item) return;
      var actions = { ArrowUp: function () { self.move(key, -1); }, ArrowDown: function () { self.move(key, 1); },
        ArrowRight: function () { self.indent(key); }, ArrowLeft: function () { self.outdent(key); } };
      if (actions[e.key]) { e.preventDefault(); actions[e.key](); }
    });
    if (node.children && node.children.length) item.appendChild(this.renderList(node.children, key));
    return item;
  };

  Editor.prototype.markCurrent = function (k) {
    this.root.querySelectorAll(".node-current").forEach(function (n) { n.classList.remove("node-current"); });
    var row = this.root.querySelector('[data-key="' + k + '"] > .node-row');
    if (row) row.classList.add("node-current");
  };

  Editor.prototype.renderChip = function (node, ind, n, k, label) {
    var self = this;
    function set(fn) { return function (e) { var v = e.target.value; self.edit(function () { fn(v); }); }; }
    var comparator = el("select", { "aria-label": "比较方式：" + ind.name, onchange: set(function (v) { ind.comparator = v; }) },
      COMPARATORS.map(function (c) { return el("option", { value: c[0], selected: c[0] === ind.comparator ? "selected" : null, text: c[1] }); }));
    return el("span", { class: "chip chip-edit", "data-indicator": n }, [
      el("input", { class: "chip-name", value: ind.name, size: Math.max(4, ind.name.length * 2 + 1), "aria-label": "指标名称：" + ind.name, onchange: set(function (v) { ind.name = v; }) }),
      comparator,
      el("input", { class: "chip-value", value: ind.value, inputmode: "decimal", size: 6, "aria-label": "目标值：" + ind.name, onchange: set(function (v) { ind.value = v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : v; }) }),
      el("input", { class: "chip-unit", value: ind.unit, size: 3, "aria-label": "单位：" + ind.name, onchange: set(function (v) { ind.unit = v; }) }),
      el("button", { type: "button", class: "chip-remove", "aria-label": "删除指标：" + ind.name + "（" + label + "）", text: "×",
        onclick: function () { self.change(function () { node.indicators.splice(n, 1); }, k); } }),
    ]);
  };

  // --- Leads → 科室 --------------------------------------------------------------------------
  Editor.prototype.leads = function () {
    var seen = [];
    function walk(nodes) {
      nodes.forEach(function (n) {
        var lead = (n.lead || "").trim();
        if (lead && seen.indexOf(lead) === -1) seen.push(lead);
        walk(n.children || []);
      });
    }
    this.data.plans.forEach(function (p) { walk(p.nodes); });
    return seen;
  };

  Editor.prototype.renderLeads = function () {
    if (!this.leadMap) return;
    var self = this, map = this.data.lead_departments;
    this.leadMap.textContent = "";
    var leads = this.leads();
    var datalist = el("datalist", { id: "lead-names" }, leads.map(function (l) { return el("option", { value: l }); }));
    this.leadMap.appendChild(datalist);
    if (!leads.length) this.leadMap.appendChild(el("p", { text: "文档没有写明牵头单位。" }));
    leads.forEach(function (lead, i) {
      self.leadMap.appendChild(el("div", { class: "lead-row" }, [
        el("label", { for: "lead-" + i, text: lead }),
        el("span", { "aria-hidden": "true", text: " → " }),
        el("input", {
          id: "lead-" + i, class: "lead-department", list: "department-names", value: map[lead] || "",
          placeholder: "不对应科室（保留原文）",
          onchange: function (e) {
            var v = e.target.value.trim();
            self.undoStack.push(JSON.stringify(self.data));
            if (v) map[lead] = v; else delete map[lead];
            self.save();
          },
        }),
      ]));
    });
  };

  // --- Source: indicators highlighted; add one from a selection --------------------------------
  Editor.prototype.renderSource = function () {
    if (!this.source) return;
    var text = this.sourceText, spans = [];
    function walk(nodes) {
      nodes.forEach(function (n) {
        (n.indicators || []).forEach(function (i) {
          var needle = String(i.value);
          var sentence = i.text && text.indexOf(i.text) !== -1 ? i.text : "";
          var start = sentence ? text.indexOf(sentence) : -1;
          // Mark the figure inside its sentence when it can be found there.
          var inner = start === -1 ? -1 : sentence.indexOf(needle);
          if (inner !== -1) spans.push([start + inner, start + inner + needle.length + (i.unit && sentence.substr(inner + needle.length, i.unit.length) === i.unit ? i.unit.length : 0), i.name]);
        });
        walk(n.children || []);
      });
    }
    this.data.plans.forEach(function (p) { walk(p.nodes); });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    this.source.textContent = "";
    var position = 0, self = this;
    spans.forEach(function (s) {
      if (s[0] < position) return;
      self.source.appendChild(document.createTextNode(text.slice(position, s[0])));
      self.source.appendChild(el("mark", { title: s[2], text: text.slice(s[0], s[1]) }));
      position = s[1];
    });
    this.source.appendChild(document.createTextNode(text.slice(position)));
  };

  Editor.prototype.addSourceTools = function () {
    var self = this;
    if (!this.source) return;
    var button = el("button", { type: "button", id: "add-indicator", text: "从选中文字添加指标", onclick: function () { self.addFromSelection(); } });
    this.source.parentNode.insertBefore(button, this.source);
  };

  // "新增就业岗位不少于1200个" → {name: 新增就业岗位, comparator: gte, value: 1200, unit: 个}
  function indicatorFrom(selected) {
    var match = /(\d+(?:\.\d+)?)\s*(%|[^\d\s，。；、,.;:：（）()]{0,2})/.exec(selected);
    if (!match) return null;
    var before = selected.slice(0, match.index), after = selected.slice(match.index + match[0].length);
    var comparator = "eq";
    if (/不少于|不低于|达到|以上/.test(selected)) comparator = "gte";
    if (/不超过|不高于|以内|以下/.test(selected)) comparator = "lte";
    if (/超过/.test(before) && !/不超过/.test(before)) comparator = "gt";
    if (/左右|约/.test(selected)) comparator = "approx";
    var name = before.replace(/(不少于|不低于|不超过|不高于|超过|达到|约|完成|全年|力争|确保|[，。；、,\s])+$/g, "")
      .replace(/^.*[，。；、,]/, "").replace(/^(完成|新增了?|全年|力争|确保)/, function (m) { return m === "新增" ? m : ""; });
    if (!name) name = after.replace(/[，。；、,].*$/, "").replace(/^(的|个|户|家)/, "");
    return { name: name || "指标", value: Number(match[1]), unit: match[2] || "", comparator: comparator, text: selected };
  }

  Editor.prototype.addFromSelection = function () {
    var selection = window.getSelection();
    var selected = selection ? String(selection).trim() : "";
    if (!selected || !this.source.contains(selection.anchorNode)) return this.say("请先在原文中选中包含数字的文字", true);
    if (!this.current) return this.say("请先在左侧点选要添加指标的任务", true);
    var indicator = indicatorFrom(selected);
    if (!indicator) return this.say("选中的文字里没有数字", true);
    var node = this.nodeAt(this.current), key = this.current.join(".");
    // The sentence around the selection, so the highlight finds it again.
    var text = this.sourceText, at = text.indexOf(selected);
    if (at !== -1) {
      var start = Math.max(text.lastIndexOf("。", at), text.lastIndexOf("\n", at)) + 1;
      var end = text.slice(at + selected.length).search(/[。\n]/);
      indicator.text = text.slice(start, end === -1 ? text.length : at + selected.length + end + 1).trim();
    }
    this.change(function () { node.indicators = (node.indicators || []).concat([indicator]); }, key);
    this.say("已添加指标“" + indicator.name + "”，可在任务中修改");
  };

  window.importIndicatorFrom = indicatorFrom; // for the browser tests

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.getElementById("parse-status");
    if (status) pollProgress(status);
    var root = document.getElementById("draft-editor");
    if (root) new Editor(root).load();
  });
})();
