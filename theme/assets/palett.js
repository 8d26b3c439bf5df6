/* The theme's widgets that work only with JavaScript, and mkdocs-material 9.8.2's
   partials/javascripts/palette.html as a file. The light/dark switch and «Tilbake til toppen» do
   nothing without Material's script, so they are not in every page's HTML (≈ 1.1 KB a page,
   issue 18): the build renders theme/partials/palette.html and eb-topp.html once and puts them
   into this file where the empty strings after the markers are (generator/adapters/
   mkdocs_parts.py: script_widgets). This script runs in the header: the switch goes where the
   script is, the button at the end of <main> (where base.html had it) as soon as the page is
   read — both before Material's script mounts them (on DOMContentLoaded, registered later).
   Then the visitor's chosen palette is restored before the page is drawn. A file: no inline
   script, no hash in the CSP. */
var ebPalett=/*eb:palett*/"",ebTopp=/*eb:topp*/"";if(ebPalett&&document.currentScript)document.currentScript.insertAdjacentHTML("beforebegin",ebPalett);if(ebTopp)document.addEventListener("DOMContentLoaded",function(){var m=document.querySelector(".md-main");m&&m.insertAdjacentHTML("beforeend",ebTopp)},{once:!0});
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
