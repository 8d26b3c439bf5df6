/* mkdocs-material 9.8.2's storage helpers (partials/javascripts/base.html), as a file: the
   scope (base_url) comes from the script element's data-eb-scope. A file, not inline: no
   inline script on any page, so the Content-Security-Policy needs no hash (theme/main.html). */
__md_scope=new URL(document.currentScript.dataset.ebScope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
