/** Spanish patterns (accents already stripped: "contrasena", "reclamacion"). */
import { HINT, LIKELY, rules, SURE, type LexiconRule } from "./types.js";

const persona = "persona|humano|humana|agente|asesor|asesora|operador|operadora|encargado|encargada|gerente|supervisor|representante|alguien|ejecutivo|ejecutiva|comercial|vendedor|soporte|atencion al cliente|servicio al cliente";

export const esRules: LexiconRule[] = [
  ...rules("human_request", SURE, [
    new RegExp(`\\b(?:hablar|habla|hablo|comunicar|comunicarme|comunicame|comunica|pasar|pasame|pasa|pasen|pasenme|conectar|conectame|atender|atienda|atiende|contactar|transferir|transfiereme)\\b(?: \\w+){0,4} (?:${persona})\\b`),
    /\b(?:persona|agente|humano|asesor) (?:real|de verdad|humano|humana)\b/,
    /^(?:humano|agente|asesor|operador|una persona)(?: (?:por favor|porfa|xfa|ya))*$/,
    /\bno (?:quiero|me gusta)(?: \w+){0,3} (?:bot|robot|maquina|contestador)\b/,
    /\b(?:llamame|llameme|llamenme|me (?:pueden|puede|podrian|podria) llamar|me llaman)\b/,
  ]),
  ...rules("complaint", SURE, [
    /\b(?:queja|quejas|quejarme|quejar|reclamo|reclamos|reclamacion|reclamaciones|denuncia formal|hoja de reclamaciones)\b/,
    /\b(?:inaceptable|pesimo|pesima|horrible|fatal|verguenza|inutiles|incompetentes|harto|harta|hartos|enfadado|enfadada|enojado|enojada|molesto|molesta|decepcionado|decepcionada|decepcion|indignado|indignada|furioso|furiosa|una estafa|un desastre|emojiangry)\b/,
    /\bno estoy (?:nada )?(?:contento|contenta|satisfecho|satisfecha|conforme)\b/,
    /\b(?:mala|malisima|horrible|pesima) (?:experiencia|atencion|calidad)|\bmal servicio\b/,
    /\bnadie (?:me )?(?:responde|contesta|ayuda|atiende|soluciona)\b/,
    /\b(?:llevo|hace)(?: \w+){0,3} (?:esperando|dias|semanas|meses)\b/,
    /\b(?:todavia|aun|aún) no (?:me )?(?:llega|llego|ha llegado|han llegado|recibo|recibi|he recibido)\b/,
    /\b(?:llego|vino|esta|viene) (?:roto|rota|danado|danada|defectuoso|defectuosa)\b/,
    /\b(?:producto|pedido|articulo) equivocado\b/,
  ]),
  ...rules("complaint", LIKELY, [/\bno funciona\b/]),
  ...rules("sensitive_data", SURE, [
    /\b(?:reembolso|reembolsos|reembolsar|devolucion del dinero|devuelvan (?:el|mi) dinero|devolver (?:el|mi) dinero|contracargo)\b/,
    /\bme (?:cobraron|cobran|han cobrado) (?:dos veces|doble|de mas|algo)\b/,
    /\bcobro (?:que no reconozco|indebido|duplicado|no autorizado|extrano|raro)\b/,
    /\btarjeta(?: \w+){0,2} (?:rechazada|rechazaron|declinada|bloqueada|robada|clonada|no pasa|no funciona)\b/,
    /\b(?:rechazaron|rechazan|bloquearon|robaron|clonaron) (?:la|mi) tarjeta\b/,
    /\bpago(?: \w+){0,2} (?:fallido|fallo|rechazado|no se proceso|no paso|no pasa|no funciona|no se realizo)\b/,
    /\bno (?:puedo|me deja|logro|consigo) (?:pagar|hacer el pago|realizar el pago|completar el pago)\b/,
    /\b(?:problema|problemas|error)(?: \w+){0,1} (?:con el|con mi|al hacer el|en el|al) (?:pago|pagar)\b/,
    /\b(?:fraude|fraudulento|estafaron|hackearon|hackeada|hackeado|suplantacion|robo de identidad)\b/,
    /\b(?:contrasena|contrasenas|clave de acceso|iniciar sesion|inicio de sesion|no puedo entrar|no puedo acceder|acceder a mi cuenta|codigo de verificacion)\b/,
    /\b(?:eliminar|borrar|cerrar|dar de baja|cancelar|desactivar|eliminen|borren|cierren)(?: \w+){0,1} (?:mi|la|mis) (?:cuenta|perfil|datos)\b/,
    /\b(?:cambiar|actualizar|modificar|editar|corregir)(?: \w+){0,1} (?:mi|mis|el|la|los) (?:correo|email|datos|telefono|direccion|nombre|cuenta|perfil|tarjeta)\b/,
    /\b(?:dni|nie|pasaporte|cedula|documento de identidad|numero de (?:mi )?tarjeta|datos de (?:mi )?tarjeta|iban|cuenta bancaria|datos bancarios)\b/,
  ]),
  ...rules("pricing", LIKELY, [
    /\b(?:precio|precios|cuanto (?:cuesta|vale|sale|cobran|es|seria|me sale)|cuesta|cuestan|coste|costo|costos|presupuesto|cotizacion|descuento|descuentos|promocion|oferta|ofertas|tarifa|tarifas|caro|cara|barato|barata|cuota)\b/,
  ]),
  ...rules("contract", LIKELY, [
    /\b(?:contrato|permanencia|cancelacion|rescindir|rescision|terminos|condiciones|preaviso|renovacion|renueva|penalizacion)\b/,
    /\b(?:cancelar|anular|dar de baja|darme de baja|terminar)(?: \w+){0,2} (?:suscripcion|plan|servicio|contrato|membresia)\b/,
  ]),
  ...rules("purchase_intent", HINT, [/\b(?:quiero|quisiera|me gustaria|deseo|kiero|necesito) (?:comprar|pedir|contratar|adquirir|hacer un pedido|realizar una compra|hacer una compra)\b/, /\bhacer un pedido\b/]),
  ...rules("appointment", LIKELY, [/\b(?:demo|demostracion|reunion|cita|agendar|llamame|llamenme|llamada|videollamada|visitar)\b/]),
  // A question about one's own invoice is a billing matter: support, not the bot.
  ...rules("sensitive_data", LIKELY, [/\b(?:mi|la|nuestra|esta|ultima)\s+(?:factura|facturas|facturacion|recibo)\b/]),
  ...rules("greeting", LIKELY, [/^(?:\w+ )?(?:solo |solamente )?(?:estoy |estamos )?(?:mirando|curioseando|echando un vistazo|viendo)(?: (?:nada mas|nomas|por ahora|de momento|gracias))*$/]),
];
