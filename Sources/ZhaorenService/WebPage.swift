/// The web page for village staff: plain HTML, CSS and a little script, served by the binary
/// and needing nothing from the internet. Sign in with the token, search by name, ID number or
/// birth date, open a person's card (labels, action, notes; add a note), and list a village's
/// worklist. Every value shown is set as text (never as HTML).
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <title>找人 · 村级查询</title>
    <style>
    body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
    header{background:#1f4e79;color:#fff;padding:10px 16px;font-size:18px}
    main{max-width:960px;margin:0 auto;padding:12px}
    section{background:#fff;border-radius:6px;padding:12px 16px;margin:12px 0;box-shadow:0 1px 2px #0002}
    label{margin-right:10px} input{padding:4px 6px;margin:2px 6px 2px 0}
    button{padding:4px 12px;background:#1f4e79;color:#fff;border:0;border-radius:4px;cursor:pointer}
    table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e2e4e8;padding:4px 6px;text-align:left;font-size:14px}
    .tag{display:inline-block;background:#fde8d7;color:#8a3b00;border-radius:3px;padding:0 5px;margin:0 3px 0 0;font-size:12px}
    .muted{color:#6b7280;font-size:13px} .error{color:#b00020} tr.pick{cursor:pointer} tr.pick:hover{background:#eef3f9}
    </style></head>
    <body><header>找人 · 村级查询</header><main>
    <section id="signin"><label>令牌 <input id="token" type="password" autocomplete="off" size="32"></label>
    <button id="save">登录</button> <span class="muted" id="who"></span></section>
    <section><form id="search"><label>姓名 <input id="q-name" size="8"></label><label>身份证号 <input id="q-id" size="20"></label>
    <label>出生日期 <input id="q-birth" size="10" placeholder="1980-01-31"></label><button type="submit">查询</button></form>
    <div id="results" class="muted">输入姓名、身份证号或出生日期查询本村人员。</div></section>
    <section id="card" hidden></section>
    <section><form id="worklist-form"><label>工作清单 地区 <input id="area" size="30" placeholder="县/乡镇/村"></label>
    <button type="submit">列出</button></form><div id="worklist"></div></section>
    </main>
    <script>
    const $ = (id) => document.getElementById(id);
    function token() { return sessionStorage.getItem("zhaoren-token") || ""; }
    $("token").value = token();
    $("save").onclick = () => { sessionStorage.setItem("zhaoren-token", $("token").value.trim()); $("who").textContent = "已保存"; };
    async function api(path, options = {}) {
      options.headers = Object.assign({"Authorization": "Bearer " + token(), "Content-Type": "application/json"}, options.headers || {});
      const r = await fetch(path, options);
      if (!r.ok) { let m = r.status + ""; try { m = (await r.json()).error.message || m; } catch (e) {} throw new Error(m); }
      return r.json();
    }
    function cell(row, text) { const td = document.createElement("td"); td.textContent = text == null ? "" : String(text); row.appendChild(td); return td; }
    function tags(td, labels) { td.textContent = ""; for (const l of labels || []) { const s = document.createElement("span"); s.className = "tag"; s.textContent = l; td.appendChild(s); } }
    function table(persons, withScore) {
      const t = document.createElement("table"); const h = t.insertRow();
      for (const c of ["姓名", "性别", "出生日期", "身份证号", "村/社区", "标签", "建议"].concat(withScore ? ["匹配概率"] : [])) { const th = document.createElement("th"); th.textContent = c; h.appendChild(th); }
      for (const p of persons) {
        const r = t.insertRow(); r.className = "pick"; r.dataset.person = p.person;
        cell(r, p.name); cell(r, p.sex); cell(r, p.birth_date); cell(r, p.id_number); cell(r, p.village);
        tags(cell(r, ""), p.labels); cell(r, p.action_text);
        if (withScore) cell(r, (p.probability * 100).toFixed(1) + "%");
        r.onclick = () => show(p.person);
      }
      return t;
    }
    $("search").onsubmit = async (e) => {
      e.preventDefault(); const out = $("results"); out.textContent = "查询中…";
      const q = {name: $("q-name").value, id: $("q-id").value, birth: $("q-birth").value};
      try { const a = await api("/api/v1/match", {method: "POST", body: JSON.stringify(q)});
        out.textContent = ""; if (!a.candidates.length) { out.textContent = "本辖区内未找到。"; return; } out.appendChild(table(a.candidates, true));
      } catch (err) { out.textContent = "查询失败：" + err.message; out.className = "error"; }
    };
    async function show(person) {
      const card = $("card"); card.hidden = false; card.textContent = "载入中…";
      try { const p = await api("/api/v1/persons/" + encodeURIComponent(person)); card.textContent = "";
        const h = document.createElement("h3"); h.textContent = p.name + "（" + (p.sex || "") + "，" + (p.birth_date || "") + "）"; card.appendChild(h);
        const d = document.createElement("div"); d.id = "card-person"; d.dataset.person = p.person;
        d.textContent = [p.id_number, p.phone, [p.county, p.township, p.village, p.grid].join(" / ")].filter(Boolean).join(" · "); card.appendChild(d);
        const l = document.createElement("div"); tags(l, p.labels); card.appendChild(l);
        const a = document.createElement("p"); a.textContent = "建议：" + (p.action_text || "无"); card.appendChild(a);
        const n = document.createElement("ul"); n.id = "notes";
        for (const x of p.notes) { const li = document.createElement("li"); li.textContent = x.at.slice(0, 10) + " " + x.user + "：" + x.text; n.appendChild(li); }
        card.appendChild(n);
        const f = document.createElement("form"); const i = document.createElement("input"); i.id = "note-text"; i.size = 40; i.placeholder = "核实情况";
        const b = document.createElement("button"); b.textContent = "记录"; f.appendChild(i); f.appendChild(b);
        f.onsubmit = async (e) => { e.preventDefault(); await api("/api/v1/persons/" + encodeURIComponent(p.person) + "/notes", {method: "POST", body: JSON.stringify({text: i.value})}); show(p.person); };
        card.appendChild(f);
      } catch (err) { card.textContent = "载入失败：" + err.message; }
    }
    // A link may carry a search: /#token=…&name=…&birth=…&id=…&area=… fills the form and runs it
    // (the token is then kept for the session and removed from the address bar).
    (function () {
      const h = new URLSearchParams(location.hash.slice(1));
      if (h.has("token")) { sessionStorage.setItem("zhaoren-token", h.get("token")); $("token").value = h.get("token"); }
      history.replaceState(null, "", location.pathname);
      if (h.has("name") || h.has("id") || h.has("birth")) {
        $("q-name").value = h.get("name") || ""; $("q-id").value = h.get("id") || ""; $("q-birth").value = h.get("birth") || "";
        setTimeout(() => $("search").requestSubmit(), 0);
      }
      if (h.has("area")) { $("area").value = h.get("area"); setTimeout(() => $("worklist-form").requestSubmit(), 0); }
      if (h.has("person")) setTimeout(() => show(h.get("person")), 0);
    })();
    $("worklist-form").onsubmit = async (e) => {
      e.preventDefault(); const out = $("worklist"); out.textContent = "载入中…";
      try { const a = await api("/api/v1/worklists?area=" + encodeURIComponent($("area").value.trim()));
        out.textContent = a.persons.length + " 人需要处理"; out.appendChild(table(a.persons, false));
      } catch (err) { out.textContent = "载入失败：" + err.message; }
    };
    </script></body></html>
    """
}
