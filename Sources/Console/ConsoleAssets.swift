/// The console's stylesheet and script, served from memory at
/// `<prefix>/assets/…`: no build step, no external fonts or scripts. The
/// pages work without the script; it only adds live updates, confirmation
/// and checking the test event's JSON before it is sent.
enum ConsoleAssets {
    static let css = """
    :root{--fg:#1d232b;--muted:#5f6b78;--bg:#f6f7f9;--card:#fff;--line:#dde2e8;--accent:#2457c5;
    --ok:#1d7f46;--bad:#b3261e;--warn:#9a6200;--run:#2457c5}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e9ee;--muted:#9aa5b1;--bg:#14181d;--card:#1c2128;--line:#2c333c;
    --accent:#7aa2ff;--ok:#4cc283;--bad:#ff7b72;--warn:#e3b341;--run:#7aa2ff}}
    *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
    header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.6rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
    header b{margin-right:.5rem}nav a{margin-right:.8rem;text-decoration:none;color:var(--muted)}nav a.on{color:var(--fg);font-weight:600}
    main{padding:1rem;max-width:1100px;margin:0 auto}a{color:var(--accent)}h1{font-size:1.3rem;margin:.2rem 0 1rem}
    h2{font-size:1.05rem;margin:1.4rem 0 .5rem}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem;margin-bottom:1rem}
    table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
    th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:.8rem;color:var(--muted);font-weight:600}
    .scroll{overflow-x:auto}code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
    pre{white-space:pre-wrap;word-break:break-word;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem;margin:.3rem 0;max-height:24rem;overflow:auto}
    .badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.8rem;border:1px solid currentColor}
    .Completed,.up{color:var(--ok)}.Failed,.down{color:var(--bad)}.Cancelled,.unknown{color:var(--muted)}
    .Running,.Sleeping,.Waiting,.Invoking,.Retrying{color:var(--run)}.degraded{color:var(--warn)}
    form.inline{display:inline}button,input,select,textarea{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.35rem .6rem}
    button{cursor:pointer;border-color:var(--accent);color:var(--accent)}button.danger{border-color:var(--bad);color:var(--bad)}
    textarea{width:100%;min-height:6rem}.wide-input{width:100%}.filters{display:flex;flex-wrap:wrap;gap:.5rem;margin-bottom:1rem;align-items:end}
    .muted{color:var(--muted)}.error{color:var(--bad)}.flash{padding:.5rem .8rem;border-radius:6px;background:var(--card);border:1px solid var(--line);margin-bottom:1rem}
    ol.timeline{list-style:none;padding:0;margin:0}ol.timeline li{border-left:3px solid var(--line);padding:.2rem 0 .8rem .8rem;margin-left:.3rem}
    ol.timeline li.Completed{border-color:var(--ok)}ol.timeline li.Failed{border-color:var(--bad)}
    ol.timeline li.Sleeping,ol.timeline li.Waiting,ol.timeline li.Running,ol.timeline li.Retrying{border-color:var(--run)}
    .kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.bar{fill:var(--accent)}
    @media (max-width:640px){th.wide,td.wide{display:none}main{padding:.6rem}}
    """

    static let js = """
    (function(){
      var live=document.querySelector('[data-live]');
      if(live){
        var url=live.getAttribute('data-live');
        var tick=function(){
          fetch(url,{credentials:'same-origin',headers:{'Accept':'text/html'}}).then(function(r){
            if(!r.ok)return null;return r.text();
          }).then(function(t){if(t!==null&&t!==live.innerHTML){live.innerHTML=t;}}).catch(function(){});
        };
        setInterval(tick,parseInt(live.getAttribute('data-every')||'1500',10));
      }
      document.querySelectorAll('form[data-confirm]').forEach(function(f){
        f.addEventListener('submit',function(e){if(!confirm(f.getAttribute('data-confirm')))e.preventDefault();});
      });
      document.querySelectorAll('form[data-json]').forEach(function(f){
        f.addEventListener('submit',function(e){
          var area=f.querySelector('textarea'),out=f.querySelector('.json-error');
          try{var v=JSON.parse(area.value||'{}');
            if(v===null||typeof v!=='object'||Array.isArray(v))throw new Error('data must be a JSON object');
            out.textContent='';}
          catch(err){e.preventDefault();out.textContent='Not sent: '+err.message;}
        });
      });
    })();
    """
}
